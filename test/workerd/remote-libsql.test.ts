/**
 * The same Worker on remote libSQL: DATABASE_URL and DATABASE_AUTH_TOKEN point it at a Hrana
 * server (a local stand-in for Turso), migrated the documented way, with `drizzle-kit migrate`.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { generate } from 'otplib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startHranaServer, type HranaServer } from './hrana-server'
import { apiClient } from './http'
import { ROOT, startDevWorker, type DevWorker } from './wrangler'

const dir = mkdtempSync(join(tmpdir(), 'twofold-remote-'))
const token = randomBytes(24).toString('base64url')
let hrana: HranaServer
let worker: DevWorker
const call = apiClient(() => worker.url)

/** What the README's deploy section tells the operator to run against Turso. */
async function drizzleKitMigrate(url: string, authToken: string) {
  const config = join(dir, 'drizzle.turso.config.ts')
  writeFileSync(
    config,
    `export default {
  dialect: 'turso',
  out: ${JSON.stringify(join(ROOT, 'drizzle'))},
  dbCredentials: { url: process.env.DATABASE_URL, authToken: process.env.DATABASE_AUTH_TOKEN },
}
`,
  )
  const drizzleKit = join(ROOT, 'node_modules/drizzle-kit/bin.cjs')
  await promisify(execFile)(process.execPath, [drizzleKit, 'migrate', '--config', config], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, DATABASE_AUTH_TOKEN: authToken },
    timeout: 60_000,
  })
}

beforeAll(async () => {
  hrana = await startHranaServer({ file: join(dir, 'remote.db'), token })
  await drizzleKitMigrate(hrana.url, token)
  // The local D1 stays empty: every query must go to the remote database.
  worker = await startDevWorker({
    migrateD1: false,
    vars: { DATABASE_URL: hrana.url, DATABASE_AUTH_TOKEN: token },
  })
})

afterAll(async () => {
  await worker?.stop()
  await hrana?.close()
  rmSync(dir, { recursive: true, force: true })
})

it('signs up, enrolls and signs in with a backup code on remote libSQL', async () => {
  const email = 'grace@example.com'
  const password = 'correct horse battery'
  const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
  expect(signUp.status).toBe(201)
  const session = signUp.body.session.token as string

  const setup = await call('POST', '/api/two-factor/setup', { token: session })
  expect(setup.status).toBe(200)
  const code = await generate({ secret: setup.body.secret, epoch: Math.floor(Date.now() / 1000) })
  const verify = await call('POST', '/api/two-factor/setup/verify', {
    token: session,
    body: { code },
  })
  expect(verify.status).toBe(200)

  const signIn = await call('POST', '/api/auth/sign-in', { body: { email, password } })
  expect(signIn.body.status).toBe('two_factor_required')
  const passed = await call('POST', '/api/auth/sign-in/two-factor', {
    body: { challengeToken: signIn.body.challenge.token, code: verify.body.backupCodes[0] },
  })
  expect(passed.status).toBe(200)
  expect(passed.body).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 })

  expect(hrana.statements.some((sql) => /insert into "users"/i.test(sql))).toBe(true)
  expect(hrana.statements.some((sql) => /^BEGIN/i.test(sql))).toBe(true) // db.batch
})
