/**
 * Upgrading a database made by the migrations before authenticators (0000–0002: one TOTP factor
 * per user in `twofold_factors`) to `twofold_authenticators` (0003, then 0004 drops the old
 * table): the enrolled user keeps their app (its secret and replay step), backup codes and
 * sign-in; a pending setup stays pending.
 */
import { createClient, type Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../api/app'
import { MIGRATIONS_FOLDER } from '../../api/db/libsql'
import { drizzle as drizzleWeb } from 'drizzle-orm/libsql/web'
import { schema } from '../../api/db/client'
import { applyMigrations } from '../../api/db/migrate'
import { generateBackupCodes, normalizeBackupCode } from '../../api/lib/backup-codes'
import { createKeyRing, generateServerSecret, hashPassword } from '../../api/lib/crypto'
import { newTotpSecret, totpAt } from '../../api/lib/totp'
import { T0 } from './helpers'

const BEFORE_AUTHENTICATORS = 3 // 0000_init, 0001, 0002

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'twofold-authenticators-upgrade-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The migrations folder as it was before authenticators: the journal cut after 0002. */
function oldMigrations(): string {
  const folder = join(work, 'drizzle-before')
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true })
  const journalFile = join(folder, 'meta/_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8'))
  journal.entries = journal.entries.slice(0, BEFORE_AUTHENTICATORS)
  writeFileSync(journalFile, JSON.stringify(journal))
  return folder
}

describe('upgrading one factor per user to authenticators', () => {
  const secret = generateServerSecret()
  const keys = createKeyRing(secret)
  const password = 'correct horse'
  const totpSecret = newTotpSecret()
  const pendingSecret = newTotpSecret()
  const backupCodes = generateBackupCodes()
  const clock = { now: T0 }
  const step = Math.floor(T0 / 30_000)
  let client: Client

  beforeAll(async () => {
    client = createClient({ url: `file:${join(work, 'upgrade.db')}` })
    await applyMigrations(drizzle(client), oldMigrations())
    const hash = await hashPassword(password)
    const sealed = await keys.encrypt(totpSecret, 'totp:usr_enrolled')
    const pending = await keys.encrypt(pendingSecret, 'totp:usr_pending')
    const statements = [
      {
        sql: `INSERT INTO twofold_users (id, email, password_hash, role, role_since, created_at)
          VALUES ('usr_admin', 'admin@example.com', ?, 'admin', ?, ?),
                 ('usr_enrolled', 'enrolled@example.com', ?, 'user', ?, ?),
                 ('usr_pending', 'pending@example.com', ?, 'user', ?, ?)`,
        args: [hash, T0, T0, hash, T0, T0 + 1, hash, T0, T0 + 2],
      },
      {
        // The code of the current step was already accepted before the upgrade.
        sql: `INSERT INTO twofold_factors (id, user_id, secret_ciphertext, key_id, last_step, created_at, enabled_at)
          VALUES ('fac_enrolled', 'usr_enrolled', ?, ?, ?, ?, ?),
                 ('fac_pending', 'usr_pending', ?, ?, -1, ?, NULL)`,
        args: [
          sealed.ciphertext,
          sealed.keyId,
          step,
          T0 - 1000,
          T0 - 500,
          pending.ciphertext,
          pending.keyId,
          T0,
        ],
      },
      ...(await Promise.all(
        backupCodes.map(async (code, i) => ({
          sql: `INSERT INTO twofold_backup_codes (id, user_id, code_hash, created_at) VALUES (?, 'usr_enrolled', ?, ?)`,
          args: [
            `bkc_${i}`,
            await keys.hmac('backup-code', `usr_enrolled:${normalizeBackupCode(code)}`),
            T0,
          ],
        })),
      )),
    ]
    await client.batch(statements, 'write')
    await applyMigrations(drizzle(client), MIGRATIONS_FOLDER)
  })
  afterAll(() => client.close())

  const app = () =>
    createApp({ db: drizzleWeb(client, { schema }) as any, secret, now: () => clock.now })
  async function call(
    path: string,
    init: { body?: unknown; token?: string; method?: string } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (init.token) headers.authorization = `Bearer ${init.token}`
    const res = await app().request(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    return { status: res.status, body: (await res.json().catch(() => null)) as any }
  }
  const challenge = async (email: string) => {
    const res = await call('/api/auth/sign-in', { body: { email, password } })
    expect(res.body.status).toBe('two_factor_required')
    return res.body.challenge.token as string
  }

  it('moves each factor into an authenticator with its data and drops twofold_factors', async () => {
    const rows = (
      await client.execute('SELECT * FROM twofold_authenticators ORDER BY user_id')
    ).rows.map((r) => ({ ...r }))
    expect(rows).toMatchObject([
      {
        id: 'fac_enrolled',
        user_id: 'usr_enrolled',
        type: 'totp',
        name: 'Authenticator app',
        created_at: T0 - 1000,
        confirmed_at: T0 - 500,
        last_step: step,
        credential_id: null,
      },
      {
        id: 'fac_pending',
        user_id: 'usr_pending',
        type: 'totp',
        confirmed_at: null,
        last_step: -1,
      },
    ])
    const tables = await client.execute(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'twofold_factors'`,
    )
    expect(tables.rows).toHaveLength(0)
  })

  it('the enrolled user signs in with their app (replay state kept) and a backup code', async () => {
    // The step accepted before the upgrade is still refused…
    const replay = await call('/api/auth/sign-in/two-factor', {
      body: {
        challengeToken: await challenge('enrolled@example.com'),
        code: await totpAt(totpSecret, clock.now),
      },
    })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('INVALID_CODE')
    // …the next one passes.
    clock.now += 30_000
    const passed = await call('/api/auth/sign-in/two-factor', {
      body: {
        challengeToken: await challenge('enrolled@example.com'),
        code: await totpAt(totpSecret, clock.now),
      },
    })
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({ method: 'totp', user: { twoFactorEnabled: true } })
    const backup = await call('/api/auth/sign-in/two-factor', {
      body: { challengeToken: await challenge('enrolled@example.com'), code: backupCodes[3] },
    })
    expect(backup.status).toBe(200)
    expect(backup.body).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 })

    const token = passed.body.session.token
    const status = await call('/api/two-factor', { token })
    expect(status.body).toMatchObject({
      enabled: true,
      enabledAt: new Date(T0 - 500).toISOString(),
      pending: false,
    })
  })

  it('a pending setup stays pending and can still be confirmed', async () => {
    const signIn = await call('/api/auth/sign-in', {
      body: { email: 'pending@example.com', password },
    })
    expect(signIn.body.status).toBe('authenticated')
    const token = signIn.body.session.token
    expect((await call('/api/two-factor', { token })).body).toMatchObject({
      enabled: false,
      pending: true,
    })
    const verify = await call('/api/two-factor/setup/verify', {
      token,
      body: { code: await totpAt(pendingSecret, clock.now) },
    })
    expect(verify.status).toBe(200)
    expect((await call('/api/two-factor', { token })).body).toMatchObject({
      enabled: true,
      pending: false,
    })
  })

  it('counts 2FA users from authenticators in the admin list and stats', async () => {
    const admin = await call('/api/auth/sign-in', {
      body: { email: 'admin@example.com', password },
    })
    const token = admin.body.session.token
    const users = await call('/api/admin/users?twoFactor=enabled', { token })
    expect(users.body.users.map((u: any) => [u.email, u.authenticators])).toEqual([
      ['pending@example.com', { totp: 1, passkey: 0 }],
      ['enrolled@example.com', { totp: 1, passkey: 0 }],
    ])
    expect((await call('/api/admin/stats', { token })).body).toMatchObject({
      totalUsers: 3,
      twoFactorUsers: 2,
    })
  })
})
