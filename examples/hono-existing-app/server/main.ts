/**
 * `npm run example`: builds the page (Vite) and serves the app on http://localhost:3000 with its
 * database in examples/hono-existing-app/app.db. Accounts: ada@example.com (admin) and
 * bob@example.com, password "correct horse battery".
 */
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { createClient } from '@libsql/client'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateServerSecret, migrate } from 'twofold/server'
import { build } from 'vite'
import { createHostApp, seedHost } from './host'

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

/** TWOFOLD_SECRET, or one made on the first start and kept beside the database. */
function secret(): string {
  if (process.env.TWOFOLD_SECRET) return process.env.TWOFOLD_SECRET
  const file = here('.twofold-secret')
  if (!existsSync(file)) writeFileSync(file, generateServerSecret(), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

const db = createClient({ url: process.env.DATABASE_URL ?? `file:${here('app.db')}` })
await seedHost(db) // the app's own users and sessions tables, two accounts
await migrate(db) // Twofold's tables, all named twofold_*

await build({ configFile: here('vite.config.ts'), logLevel: 'warn' })

const app = createHostApp({ db, secret: secret(), issuer: 'Existing App' })
app.use('/*', serveStatic({ root: here('dist') }))
app.get('*', serveStatic({ path: here('dist/index.html') }))

const port = Number(process.env.PORT ?? 3000)
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
  console.log(`The existing app with Twofold: http://localhost:${port}`),
)
