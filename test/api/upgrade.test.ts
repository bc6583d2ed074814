/**
 * Upgrading a database made by Twofold 0.1 (tables `users`, `sessions`, …, bookkeeping in
 * `__drizzle_migrations`) to the `twofold_*` names: 0.1's migrations 0000–0002
 * (test/api/fixtures/drizzle-0.1) applied the way 0.1 applied them, the rows 0.1 wrote
 * (test/api/fixtures/twofold-0.1.sql), then today's `migrate`, which runs
 * drizzle/upgrade/0.1-to-0.2.sql by itself.
 */
import { createClient, type Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_FOLDER } from '../../api/db/libsql'
import { totpAt } from '../../api/lib/totp'
import { createApp, migrate } from '../../api/server'

const fixtures = new URL('./fixtures/', import.meta.url)
const legacy = JSON.parse(readFileSync(new URL('twofold-0.1.json', fixtures), 'utf8')) as {
  madeAt: number
  serverSecret: string
  password: string
  admin: { email: string; sessionToken: string }
  user: {
    id: string
    email: string
    totpSecret: string
    backupCodes: string[]
    sessionToken: string
    deviceCookie: string
    userAgent: string
  }
}
const LEGACY_MIGRATIONS = new URL('drizzle-0.1', fixtures).pathname
const OLD_TABLES = [
  'users',
  'sessions',
  'factors',
  'backup_codes',
  'challenges',
  'attempt_counters',
  'trusted_devices',
  'audit_events',
  'settings',
  'outbox',
]
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'))

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'twofold-upgrade-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A database in the state Twofold 0.1 left it: its migrations, its migrator, its rows. */
async function legacyDatabase(name: string): Promise<Client> {
  const client = createClient({ url: `file:${join(work, `${name}.db`)}` })
  await drizzleMigrate(drizzle(client), { migrationsFolder: LEGACY_MIGRATIONS })
  await client.executeMultiple(readFileSync(new URL('twofold-0.1.sql', fixtures), 'utf8'))
  return client
}

const names = async (client: Client) =>
  (await client.execute(`SELECT type, name FROM sqlite_master ORDER BY name`)).rows.map(
    (row) => `${row.type} ${row.name}`,
  )
const count = async (client: Client, table: string) =>
  Number((await client.execute(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n)

describe('upgrading a Twofold 0.1 database', () => {
  let client: Client
  let before: Record<string, number>
  let legacyBookkeeping: { hash: string; created_at: number }[]
  const clock = { now: legacy.madeAt + 5 * 60_000 }
  const app = () => createApp({ db: client, secret: legacy.serverSecret, now: () => clock.now })

  beforeAll(async () => {
    client = await legacyDatabase('upgrade')
    before = Object.fromEntries(
      await Promise.all(OLD_TABLES.map(async (table) => [table, await count(client, table)])),
    )
    legacyBookkeeping = (
      await client.execute('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at')
    ).rows.map((row) => ({ hash: String(row.hash), created_at: Number(row.created_at) }))
    expect(legacyBookkeeping).toHaveLength(3)
    expect(before).toMatchObject({
      users: 2,
      factors: 1,
      backup_codes: 10,
      sessions: 3,
      trusted_devices: 1,
    })
    await migrate(client)
  })
  afterAll(() => client.close())

  it('carries the bookkeeping over, applies only the new migrations, and keeps every row', async () => {
    const applied = (
      await client.execute('SELECT hash, created_at FROM twofold_migrations ORDER BY created_at')
    ).rows.map((row) => ({ hash: String(row.hash), created_at: Number(row.created_at) }))
    expect(applied).toHaveLength(journal.entries.length)
    expect(applied.slice(0, 3)).toEqual(legacyBookkeeping)
    for (const table of OLD_TABLES)
      expect(
        await count(client, table === 'factors' ? 'twofold_authenticators' : `twofold_${table}`),
      ).toBe(before[table])
    await migrate(client) // nothing left to apply
    expect(await count(client, 'twofold_migrations')).toBe(journal.entries.length)
  })

  it('leaves no table, index or trigger without the twofold_ prefix (sqlite internals aside)', async () => {
    const all = await names(client)
    expect(all.filter((entry) => !/ (twofold_|sqlite_)/.test(entry))).toEqual([])
    expect(all).toEqual(
      expect.arrayContaining([
        'table twofold_users_search',
        'trigger twofold_users_search_insert',
        'trigger twofold_users_search_update',
        'trigger twofold_users_search_delete',
        'index twofold_users_email_unique',
        'table twofold_migrations',
      ]),
    )
    const fks = await client.execute(
      `SELECT "table" FROM pragma_foreign_key_list('twofold_sessions')`,
    )
    expect(fks.rows.map((row) => row.table)).toEqual(['twofold_users'])
  })

  it('the enrolled user signs in with password + TOTP code, and with a backup code', async () => {
    const signIn = () =>
      app().request('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: legacy.user.email, password: legacy.password }),
      })
    const secondFactor = (body: object) =>
      app().request('/api/auth/sign-in/two-factor', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })

    const first = (await (await signIn()).json()) as any
    expect(first.status).toBe('two_factor_required')
    const code = await totpAt(legacy.user.totpSecret, clock.now)
    const totp = await secondFactor({ challengeToken: first.challenge.token, code })
    expect(totp.status).toBe(200)
    expect(await totp.json()).toMatchObject({
      status: 'authenticated',
      method: 'totp',
      user: { id: legacy.user.id },
    })

    const second = (await (await signIn()).json()) as any
    const backup = await secondFactor({
      challengeToken: second.challenge.token,
      code: legacy.user.backupCodes[3],
    })
    expect(backup.status).toBe(200)
    expect(await backup.json()).toMatchObject({ status: 'authenticated', method: 'backup_code' })
    expect(
      Number(
        (
          await client.execute(
            'SELECT count(*) AS n FROM twofold_backup_codes WHERE used_at IS NOT NULL',
          )
        ).rows[0]!.n,
      ),
    ).toBe(1)
  })

  it('the old session token still works, and the trusted device still skips the second factor', async () => {
    const me = await app().request('/api/auth/session', {
      headers: { authorization: `Bearer ${legacy.user.sessionToken}` },
    })
    expect(me.status).toBe(200)
    expect(((await me.json()) as any).user.email).toBe(legacy.user.email)

    const trusted = await app().request('/api/auth/sign-in', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: legacy.user.deviceCookie,
        'user-agent': legacy.user.userAgent,
      },
      body: JSON.stringify({ email: legacy.user.email, password: legacy.password }),
    })
    expect(((await trusted.json()) as any).status).toBe('authenticated')
  })

  it('the admin search finds the user, and new users through the renamed triggers', async () => {
    const search = async (q: string) => {
      const res = await app().request(`/api/admin/users?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${legacy.admin.sessionToken}` },
      })
      expect(res.status).toBe(200)
      return ((await res.json()) as any).users.map((user: { email: string }) => user.email)
    }
    expect(await search('lovelace')).toEqual([legacy.user.email])
    expect(await search('ada@exa')).toEqual([legacy.user.email])

    const signUp = await app().request('/api/auth/sign-up', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'grace@example.com',
        password: 'a long password',
        name: 'Grace Hopper',
      }),
    })
    expect(signUp.status).toBe(201)
    expect(await search('hopper')).toEqual(['grace@example.com'])
    expect(await count(client, 'twofold_users_search')).toBe(3)
  })
})

describe('the old bookkeeping table', () => {
  it('shared with the host: Twofold’s rows move to twofold_migrations, the host’s stay', async () => {
    const client = await legacyDatabase('shared')
    await client.execute(
      `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('host-0001', 1)`,
    )
    await migrate(client)
    const host = await client.execute('SELECT hash, created_at FROM __drizzle_migrations')
    expect(host.rows.map((row) => [row.hash, Number(row.created_at)])).toEqual([['host-0001', 1]])
    expect(await count(client, 'twofold_migrations')).toBe(journal.entries.length)
    expect(await count(client, 'twofold_users')).toBe(2)
    client.close()
  })

  it('an empty twofold_migrations (a run that stopped early) does not hide the old record', async () => {
    const client = await legacyDatabase('empty-new')
    await client.execute(
      'CREATE TABLE twofold_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    )
    await migrate(client)
    expect(await count(client, 'twofold_migrations')).toBe(journal.entries.length)
    expect(await count(client, 'twofold_users')).toBe(2)
    client.close()
  })

  it('the host’s own: left alone, Twofold migrates from scratch', async () => {
    const client = createClient({ url: `file:${join(work, 'host.db')}` })
    await client.execute(
      'CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    )
    await client.execute(
      `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('host-0001', 1)`,
    )
    await migrate(client)
    expect(await count(client, '__drizzle_migrations')).toBe(1)
    expect(await count(client, 'twofold_migrations')).toBe(journal.entries.length)
    const all = await names(client)
    expect(all.filter((entry) => !/ (twofold_|sqlite_)/.test(entry))).toEqual([
      'table __drizzle_migrations',
    ])
    client.close()
  })
})
