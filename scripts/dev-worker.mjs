#!/usr/bin/env node
/**
 * `npm run dev:worker [-- wrangler dev options]`: applies the committed migrations (drizzle/) to
 * the local D1 database, then runs `wrangler dev` in workerd with the options given.
 *
 * Creates a git-ignored .dev.vars with a fresh TWOFOLD_SECRET when there is none. Nothing is
 * sent anywhere: metrics, the update check and the Request.cf download are off unless set.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))
const args = process.argv.slice(2)

const env = { ...process.env }
env.WRANGLER_SEND_METRICS ??= 'false'
env.WRANGLER_SEND_ERROR_REPORTS ??= 'false'
env.WRANGLER_HIDE_BANNER ??= 'true'
env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

/** The options `wrangler d1 migrations apply` shares with `wrangler dev`. */
function sharedOptions(list) {
  const shared = []
  for (let i = 0; i < list.length; i++) {
    const [name] = list[i].split('=', 1)
    if (!['--persist-to', '--config', '-c', '--env', '-e', '--env-file'].includes(name)) continue
    shared.push(list[i])
    if (!list[i].includes('=') && i + 1 < list.length) shared.push(list[++i])
  }
  return shared
}

function ensureDevSecret() {
  const given = args.some((arg) => arg.startsWith('TWOFOLD_SECRET:')) || env.TWOFOLD_SECRET
  if (given || existsSync(`${root}.dev.vars`)) return
  if (existsSync(`${root}.env`)) {
    // wrangler ignores .env once .dev.vars exists, so leave the developer's .env alone.
    if (!/^\s*TWOFOLD_SECRET\s*=/m.test(readFileSync(`${root}.env`, 'utf8'))) {
      console.warn('[twofold] .env has no TWOFOLD_SECRET: add one, or pass --var TWOFOLD_SECRET:')
    }
    return
  }
  const secret = randomBytes(32).toString('base64')
  writeFileSync(`${root}.dev.vars`, `TWOFOLD_SECRET="${secret}"\n`, { mode: 0o600 })
  console.log('[twofold] wrote .dev.vars with a new local TWOFOLD_SECRET (git-ignored)')
}

ensureDevSecret()

const migrate = spawnSync(
  process.execPath,
  [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', ...sharedOptions(args)],
  { cwd: root, env: { ...env, CI: 'true' }, stdio: 'inherit' },
)
if (migrate.status !== 0) process.exit(migrate.status ?? 1)

const dev = spawn(process.execPath, [wrangler, 'dev', ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => dev.kill(signal))
}
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
