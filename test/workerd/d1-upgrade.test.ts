/**
 * Upgrading a D1 database made by Twofold 0.1 (tables `users`, `sessions`, …, wrangler's record
 * in `d1_migrations`) the documented way: run drizzle/upgrade/0.1-to-0.2.sql, rename the record
 * to `twofold_migrations`; `wrangler d1 migrations apply` then applies only the later ones. The
 * Worker serves the old rows (test/api/fixtures/twofold-0.1.sql) from the `twofold_*` tables.
 */
import { generate } from 'otplib'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from './http'
import { ROOT, runWrangler, startDevWorker, type DevWorker } from './wrangler'

const fixtures = join(ROOT, 'test/api/fixtures')
const legacy = JSON.parse(readFileSync(join(fixtures, 'twofold-0.1.json'), 'utf8'))

let worker: DevWorker
let persistTo: string
const call = apiClient(() => worker.url)

const d1 = (persist: string, config: string, ...args: string[]) =>
  runWrangler(['d1', ...args, '--local', '--persist-to', persist, '--config', config])
const objects = async () => {
  const out = await d1(
    persistTo,
    join(ROOT, 'wrangler.toml'),
    'execute',
    'DB',
    '--json',
    '--command',
    'SELECT type, name FROM sqlite_master ORDER BY name',
  )
  const rows = JSON.parse(out)[0].results as { type: string; name: string }[]
  return rows.map((row) => `${row.type} ${row.name}`)
}

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), 'twofold-d1-upgrade-'))
  // wrangler.toml as Twofold 0.1 had it: its migrations 0000–0002, wrangler's default record.
  const folder = join(fixtures, 'drizzle-0.1')
  const config = join(persistTo, 'wrangler-0.1.toml')
  writeFileSync(
    config,
    readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
      .replace(/^main = .*$/m, `main = ${JSON.stringify(join(ROOT, 'api/worker.ts'))}`)
      .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(folder)}`)
      .replace(/^migrations_table = .*$/m, ''),
  )
  await d1(persistTo, config, 'migrations', 'apply', 'DB')
  await d1(persistTo, config, 'execute', 'DB', '--file', join(fixtures, 'twofold-0.1.sql'))

  // The one-time steps in the README, then the usual command.
  const current = join(ROOT, 'wrangler.toml')
  const upgrade = join(ROOT, 'drizzle/upgrade/0.1-to-0.2.sql')
  await d1(persistTo, current, 'execute', 'DB', '--file', upgrade)
  await d1(
    persistTo,
    current,
    'execute',
    'DB',
    '--command',
    'ALTER TABLE d1_migrations RENAME TO twofold_migrations',
  )
  const applied = await d1(persistTo, current, 'migrations', 'apply', 'DB')
  // Only the migrations after 0.2's: since issue 15, 0003 moves each factor into the
  // authenticators table (the sign-ins below use it), 0004 drops the old one, 0005 adds WebAuthn.
  expect(applied).toMatch(/0003_authenticators/)
  expect(applied).not.toMatch(/0000_init/)
  expect(await d1(persistTo, current, 'migrations', 'apply', 'DB')).toMatch(
    /No migrations to apply/,
  )

  worker = await startDevWorker({ persistTo, migrateD1: false, secret: legacy.serverSecret })
})

afterAll(async () => {
  await worker?.stop()
})

describe('a Twofold 0.1 D1 database, upgraded', () => {
  it('has only twofold_* tables, indexes and triggers (D1 and SQLite internals aside)', async () => {
    const all = await objects()
    expect(all.filter((entry) => !/ (twofold_|sqlite_|_cf_)/.test(entry))).toEqual([])
    expect(all).toEqual(
      expect.arrayContaining([
        'table twofold_users',
        'table twofold_users_search',
        'table twofold_migrations',
      ]),
    )
  })

  it('the enrolled user signs in with password + TOTP and with a backup code; admin search finds them', async () => {
    const body = { email: legacy.user.email, password: legacy.password }
    const first = await call('POST', '/api/auth/sign-in', { body })
    expect(first.body.status).toBe('two_factor_required')
    const code = await generate({ secret: legacy.user.totpSecret })
    const totp = await call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: first.body.challenge.token, code },
    })
    expect(totp.status).toBe(200)
    expect(totp.body.user.id).toBe(legacy.user.id)

    const second = await call('POST', '/api/auth/sign-in', { body })
    const backup = await call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: second.body.challenge.token, code: legacy.user.backupCodes[5] },
    })
    expect(backup.status).toBe(200)
    expect(backup.body.method).toBe('backup_code')

    const admin = await call('POST', '/api/auth/sign-in', {
      body: { email: legacy.admin.email, password: legacy.password },
    })
    expect(admin.body.status).toBe('authenticated')
    const search = await call('GET', '/api/admin/users?q=lovelace', {
      token: admin.body.session.token,
    })
    expect(search.body.users.map((user: { email: string }) => user.email)).toEqual([
      legacy.user.email,
    ])
  })
})
