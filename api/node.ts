/**
 * Node entry (`npm start`): the API and the demo on one port, on the embedded database.
 */
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import type { Context } from 'hono'
import { createApp } from './app'
import { openLibsql } from './db/libsql'
import { appOptionsFromEnv, readEnv } from './env'
import { generateServerSecret } from './lib/crypto'
import { startPurgeTimer } from './services/purge.service'
import { DEMO_NONCE_PLACEHOLDER, demoHeaders } from './lib/security-headers'

const DEMO_DIST = resolve(import.meta.dirname, '../demo/dist')

/** Uses TWOFOLD_SECRET, or a key generated once and kept beside the embedded database. */
function loadSecret(databaseUrl: string, given: string | undefined) {
  if (given) return { secret: given, where: 'TWOFOLD_SECRET' }
  if (!databaseUrl.startsWith('file:')) {
    throw new Error('TWOFOLD_SECRET must be set when the database is not an embedded file.')
  }
  const keyFile = resolve(dirname(databaseUrl.slice('file:'.length)), 'twofold.secret')
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true })
    writeFileSync(keyFile, generateServerSecret() + '\n', { mode: 0o600 })
    console.warn(
      `[twofold] WARNING: no TWOFOLD_SECRET given; generated one in ${keyFile}. Back it up: without it, enrolled authenticators stop working.`,
    )
  }
  return { secret: readFileSync(keyFile, 'utf8').trim(), where: keyFile }
}

/** The demo's index.html with this answer's CSP nonce (set by demoHeaders). */
async function demoPage(c: Context) {
  const html = await readFile(join(DEMO_DIST, 'index.html'), 'utf8')
  const nonce = c.get('secureHeadersNonce' as never) as string
  c.header('Cache-Control', 'no-store')
  return c.html(html.replaceAll(DEMO_NONCE_PLACEHOLDER, nonce))
}

export async function startServer(source: Record<string, string | undefined> = process.env) {
  const env = readEnv(source)
  if (env.DATABASE_URL.startsWith('file:')) {
    mkdirSync(dirname(resolve(env.DATABASE_URL.slice('file:'.length))), { recursive: true })
  }
  const { db } = await openLibsql({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN })
  const { secret, where } = loadSecret(env.DATABASE_URL, env.TWOFOLD_SECRET)
  const app = createApp({ db, secret, ...appOptionsFromEnv(env), runtime: 'node' })
  if (existsSync(DEMO_DIST)) {
    const root = relative(process.cwd(), DEMO_DIST)
    const demo = serveStatic({ root })
    const headers = demoHeaders()
    const isPage = (path: string) => path === '/' || path === '/index.html'
    app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : headers(c, next)))
    app.get('*', (c, next) =>
      c.req.path.startsWith('/api/') ? next() : isPage(c.req.path) ? demoPage(c) : demo(c, next),
    )
    app.get('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : demoPage(c)))
  }
  // Expired rows go hourly (and once now); the timer never keeps the process alive.
  const purge = startPurgeTimer(db, { retentionDays: env.TWOFOLD_RETENTION_DAYS })
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: source.HOST ?? '0.0.0.0' })
  console.log(`[twofold] listening on http://localhost:${env.PORT}`)
  console.log(`[twofold] database: ${env.DATABASE_URL}`)
  console.log(`[twofold] server key: ${where}`)
  return { app, server, db, purge }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startServer().catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
