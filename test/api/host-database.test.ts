/**
 * Twofold's migrations on a host application's database (embedded mode): the host already has
 * its own `users`, `sessions`, `settings` and `outbox`, with indexes and rows. `migrate` adds
 * only `twofold_*` objects and leaves the host's alone.
 */
import { createClient } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../api/server'

const dir = mkdtempSync(join(tmpdir(), 'twofold-host-db-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const HOST_SCHEMA = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, password TEXT NOT NULL);
CREATE UNIQUE INDEX users_email_unique ON users (email);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO users (id, email, password) VALUES (1, 'ada@host.test', 'host-hash-1'), (2, 'bob@host.test', 'host-hash-2');
INSERT INTO sessions (id, user_id) VALUES ('s1', 1), ('s2', 2);
INSERT INTO settings (name, value) VALUES ('theme', 'dark');
`

describe('migrate on a database that already has host tables', () => {
  it('succeeds, creates only twofold_* objects, and leaves the host’s tables and rows untouched', async () => {
    const client = createClient({ url: `file:${join(dir, 'host.db')}` })
    await client.executeMultiple(HOST_SCHEMA)
    const dump = async () => ({
      schema: (
        await client.execute(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'twofold_%' ORDER BY name",
        )
      ).rows.map((row) => ({ ...row })),
      users: (await client.execute('SELECT * FROM users ORDER BY id')).rows.map((r) => ({ ...r })),
      sessions: (await client.execute('SELECT * FROM sessions ORDER BY id')).rows.map((r) => ({
        ...r,
      })),
      settings: (await client.execute('SELECT * FROM settings')).rows.map((r) => ({ ...r })),
    })
    const before = await dump()
    expect(before.users).toHaveLength(2)

    await migrate(client)
    await migrate(client) // again: nothing to apply

    expect(await dump()).toEqual(before)
    const ours = (
      await client.execute("SELECT name FROM sqlite_master WHERE name LIKE 'twofold_%'")
    ).rows.map((row) => String(row.name))
    expect(ours).toEqual(
      expect.arrayContaining(['twofold_users', 'twofold_sessions', 'twofold_migrations']),
    )
    // Embedded mode keeps a row per host user without a password.
    const password = await client.execute(
      "SELECT \"notnull\" FROM pragma_table_info('twofold_users') WHERE name = 'password_hash'",
    )
    expect(Number(password.rows[0]!.notnull)).toBe(0)
    client.close()
  })
})
