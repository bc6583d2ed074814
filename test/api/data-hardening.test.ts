/**
 * Issue 10, items 5, 7, 8, 14 and 15: decisions made in one statement (first admin, last admin,
 * enabling the checked secret), search that survives control characters and folds every
 * script's case, logs without query parameters, and the purge of expired rows.
 */
import { createClient } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { openLibsql } from '../../api/db/libsql'
import { openRemoteLibsql } from '../../api/db/remote'
import { purgeExpired, startPurgeTimer } from '../../api/services/purge.service'
import { totpAt } from '../../api/lib/totp'
import { startHranaServer, type HranaServer } from '../workerd/hrana-server'
import { expectErrorShape, makeApp, type TestApp } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

const scalar = async (t: TestApp, sql: string, args: (string | number)[] = []) =>
  Number((await t.client.execute({ sql, args })).rows[0]![0])

const servers: HranaServer[] = []
const remoteDirs: string[] = []
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()))
  for (const dir of remoteDirs) rmSync(dir, { recursive: true, force: true })
})

/**
 * The app on remote libSQL over HTTP (a Hrana server on a migrated file): each statement is a
 * round trip, so the statements of parallel requests interleave as they do on Turso.
 */
async function makeRemoteApp() {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-remote-'))
  remoteDirs.push(dir)
  const file = join(dir, 'remote.db')
  const migrated = await openLibsql({ url: `file:${file}` })
  migrated.client.close()
  const token = 'test-token'
  const server = await startHranaServer({ file, token })
  servers.push(server)
  const t = await makeApp({ db: openRemoteLibsql({ url: server.url, authToken: token }) })
  // Reads through the server too, so they see what the app wrote.
  const client = createClient({ url: server.url, authToken: token })
  return { ...t, client } as TestApp
}

const setups = [
  ['embedded libSQL', () => makeApp()],
  ['remote libSQL', makeRemoteApp],
] as const

describe.each(setups)('first admin and last admin are decided by one statement (%s)', (_, open) => {
  it('five parallel first sign-ups make exactly one admin', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await open()
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          t.call('POST', '/api/auth/sign-up', {
            body: { email: `u${i}@example.com`, password: 'correct horse' },
          }),
        ),
      )
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201])
      expect(answers.filter((a) => a.body.user.role === 'admin')).toHaveLength(1)
      expect(await scalar(t, `select count(*) from twofold_users where role = 'admin'`)).toBe(1)
    }
  })

  it('a sign-up after the first is a user, even when no admin is left in the table', async () => {
    const t = await open()
    const first = await t.signUp('first@example.com')
    expect(first.user.role).toBe('admin')
    await t.client.execute(`update twofold_users set role = 'user'`)
    expect((await t.signUp('second@example.com')).user.role).toBe('user')
  })

  it('two admins demoting each other at once leave one admin', async () => {
    const t = await open()
    const a = await t.signUp('a@example.com')
    const b = await t.signUp('b@example.com')
    for (let round = 0; round < 5; round++) {
      const promote = await t.call('PATCH', `/api/admin/users/${b.user.id}`, {
        token: a.token,
        body: { role: 'admin' },
      })
      expect(promote.status).toBe(200)
      const [ab, ba] = await Promise.all([
        t.call('PATCH', `/api/admin/users/${b.user.id}`, {
          token: a.token,
          body: { role: 'user' },
        }),
        t.call('PATCH', `/api/admin/users/${a.user.id}`, {
          token: b.token,
          body: { role: 'user' },
        }),
      ])
      expect(await scalar(t, `select count(*) from twofold_users where role = 'admin'`)).toBe(1)
      // One wins; the other is refused: as the last admin (409), or, when the winner's change
      // landed before its session was read, as no admin any more (403).
      const [won, refused] = ab.status === 200 ? [ab, ba] : [ba, ab]
      expect(won.status).toBe(200)
      expectErrorShape(refused.body)
      expect([
        [409, 'LAST_ADMIN'],
        [403, 'FORBIDDEN'],
      ]).toContainEqual([refused.status, refused.body.error.code])
      // Whoever lost their role gets it back from the other for the next round.
      if (ab.status !== 200) {
        await t.call('PATCH', `/api/admin/users/${a.user.id}`, {
          token: b.token,
          body: { role: 'admin' },
        })
        await t.call('PATCH', `/api/admin/users/${b.user.id}`, {
          token: a.token,
          body: { role: 'user' },
        })
      }
    }
  })
})

describe.each(setups)(
  'enrollment enables only the secret whose code was checked (%s)',
  (_, open) => {
    it('setup/verify in parallel with a second setup never enables the unconfirmed secret', async () => {
      const t = await open()
      for (let round = 0; round < 12; round++) {
        const { token, user } = await t.signUp()
        const first = await t.call('POST', '/api/two-factor/setup', { token })
        const code = await totpAt(first.body.secret, t.clock.now)
        const [verify, second] = await Promise.all([
          t.call('POST', '/api/two-factor/setup/verify', { token, body: { code } }),
          t.call('POST', '/api/two-factor/setup', { token }),
        ])
        expect(verify.status).toBeLessThan(500)
        expect(second.status).toBeLessThan(500)
        const row = (
          await t.client.execute({
            sql: 'select * from twofold_authenticators where user_id = ?',
            args: [user.id],
          })
        ).rows[0]!
        const secret = await t.app.deps.keys.decrypt(
          String(row.secret_ciphertext),
          String(row.key_id),
          `totp:${user.id}`,
        )
        if (row.confirmed_at !== null) {
          // Enabled: it is the secret the user confirmed, and the answer said so.
          expect(secret).toBe(first.body.secret)
          expect(verify.status).toBe(200)
        } else {
          // Still pending: the second secret replaced the first before it was enabled.
          expect(verify.status).not.toBe(200)
          expect(secret).toBe(second.body.secret)
        }
      }
    })
  },
)

describe('admin search', () => {
  async function withNames() {
    const t = await makeApp()
    const admin = await t.signUp('root@example.com')
    for (const [email, name] of [
      ['elodie@example.com', 'Élodie Martin'],
      ['olaf@example.com', 'Ölaf Østergaard'],
      ['plain@example.com', 'Plain Person'],
      ['under_score@example.com', null],
    ] as const) {
      const res = await t.call('POST', '/api/auth/sign-up', {
        body: { email, password: 'correct horse', ...(name ? { name } : {}) },
      })
      expect(res.status).toBe(201)
    }
    const search = async (q: string) => {
      const res = await t.call('GET', `/api/admin/users?q=${encodeURIComponent(q)}`, {
        token: admin.token,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return (res.body.users as { email: string }[]).map((u) => u.email).sort()
    }
    return { t, admin, search }
  }

  it('a NUL or other control character in q is no 5xx: it is dropped and the rest searched', async () => {
    const { t, admin, search } = await withNames()
    for (const raw of ['%00', '%22%00', 'elo%00die', '%01%02%03', 'pl%0Bain']) {
      const res = await t.call('GET', `/api/admin/users?q=${raw}`, { token: admin.token })
      expect(res.status, raw).toBe(200)
    }
    expect(await search('elo\u0000die')).toEqual(['elodie@example.com'])
    expect(await search('\u0000')).toHaveLength(5)
  })

  it('finds non-ASCII names in any case, long and short fragments alike', async () => {
    const { search } = await withNames()
    for (const q of ['Élodie', 'élodie', 'ÉLODIE', 'éLoDiE', 'élo', 'É', 'é', 'Él', 'él']) {
      expect(await search(q), q).toEqual(['elodie@example.com'])
    }
    for (const q of ['ölaf', 'ÖLAF', 'øster', 'ØSTERGAARD', 'ö', 'Øs']) {
      expect(await search(q), q).toEqual(['olaf@example.com'])
    }
    expect(await search('MARTIN')).toEqual(['elodie@example.com'])
    expect(await search('plain@EXAMPLE')).toEqual(['plain@example.com'])
  })

  it('keeps % and _ literal, short and long', async () => {
    const { search } = await withNames()
    expect(await search('_')).toEqual(['under_score@example.com'])
    expect(await search('r_s')).toEqual(['under_score@example.com'])
    expect(await search('%')).toEqual([])
    expect(await search('e%a')).toEqual([])
  })
})

describe('the error log never carries query parameters', () => {
  it('a failed outbox insert logs its error, not the mail (address, code) it tried to store', async () => {
    const t = await makeApp()
    await t.signUp('root@example.com')
    const user = await t.signUp('ada@example.com')
    await t.enroll(user.token)
    t.advance(30)
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await t.client.execute('drop table twofold_outbox')
    const challengeToken = await t.challenge('ada@example.com')
    const sent = await t.call('POST', '/api/auth/sign-in/two-factor/email', {
      body: { challengeToken },
    })
    expect(sent.status).toBe(202)
    await t.settle()
    const logged = errors.mock.calls.map((args) => args.join(' ')).join('\n')
    expect(logged).not.toMatch(/ada@example\.com|params|sign-in code|\b\d{6}\b/)
    expect(logged).toMatch(/background task failed/)
    expect(logged).toMatch(/no such table: twofold_outbox/)
  })

  it('a failed query in a request logs its code and message, not the search it ran', async () => {
    const t = await makeApp()
    const admin = await t.signUp('root@example.com')
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await t.client.execute('drop table twofold_users_search')
    const res = await t.call('GET', '/api/admin/users?q=confidential-term', { token: admin.token })
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('INTERNAL_ERROR')
    const logged = errors.mock.calls.map((args) => args.join(' ')).join('\n')
    expect(logged).not.toMatch(/confidential-term|params/)
    expect(logged).toMatch(/unexpected error: SQLITE_ERROR: no such table: twofold_users_search/)
  })
})

describe('purge of expired rows', () => {
  const DAY = 24 * 3600_000
  const count = (t: TestApp, table: string, where = '1') =>
    scalar(t, `select count(*) from twofold_${table} where ${where}`)

  it('deletes expired sessions, challenges, trusted devices, idle counters and old mail; keeps the rest', async () => {
    const t = await makeApp()
    await t.signUp('root@example.com')
    const user = await t.signUp('ada@example.com')
    const { secret } = await t.enroll(user.token)
    t.advance(30)
    // A challenge, a trusted device and a counter for an email nobody owns, then time passes.
    const passed = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: {
        challengeToken: await t.challenge('ada@example.com'),
        code: await t.code(secret),
        rememberDevice: true,
      },
    })
    expect(passed.status).toBe(200)
    await t.challenge('ada@example.com')
    for (let i = 0; i < 20; i++) {
      const res = await t.call('POST', '/api/auth/sign-in', {
        body: { email: `ghost${i}@example.com`, password: 'guess' },
      })
      expect(res.status).toBe(401)
    }
    expect(await count(t, 'attempt_counters', `key like 'pw:account:ghost%'`)).toBe(20)
    await t.settle()
    await t.client.execute({
      sql: `insert into twofold_outbox (id, "to", subject, text, html, created_at) values ('msg_old', 'x@example.com', 's', 't', 'h', ?)`,
      args: [t.clock.now - 31 * DAY],
    })
    const mailBefore = await count(t, 'outbox')

    // An hour on: the unknown emails' counters and the challenges are gone, sessions stay.
    t.advance(3600)
    await purgeExpired(t.db, t.clock.now)
    expect(await count(t, 'attempt_counters', `key like 'pw:%'`)).toBe(0)
    expect(await count(t, 'challenges')).toBe(0)
    expect(await count(t, 'outbox')).toBe(mailBefore - 1)
    expect(await count(t, 'sessions')).toBe(3)
    expect(await count(t, 'trusted_devices')).toBe(1)
    const session = await t.call('GET', '/api/auth/session', { token: user.token })
    expect(session.status).toBe(200)

    // Past the session lifetime (7 days) and the device's (30 days): both go, and the mail once
    // it is older than the retention (the outbox mailer stamps mail with the real clock).
    t.advance((31 + (Date.now() - t.clock.now) / DAY) * 24 * 3600)
    await purgeExpired(t.db, t.clock.now)
    expect(await count(t, 'sessions')).toBe(0)
    expect(await count(t, 'trusted_devices')).toBe(0)
    expect(await count(t, 'outbox')).toBe(0)
    expect(await count(t, 'users')).toBe(2)
    expect(await count(t, 'audit_events')).toBeGreaterThan(0)
  })

  it('keeps a counter that is locked, and the mail within a shorter retention', async () => {
    const t = await makeApp({ limits: { passwordFailuresPerAccount: 3 } })
    await t.signUp('root@example.com')
    for (let i = 0; i < 3; i++) {
      await t.call('POST', '/api/auth/sign-in', {
        body: { email: 'root@example.com', password: 'wrong password' },
      })
    }
    const lock = `key = 'pw:account:root@example.com' and locked_until is not null`
    expect(await count(t, 'attempt_counters', lock)).toBe(1)
    t.advance(600) // the lock (900 s) still holds
    await purgeExpired(t.db, t.clock.now)
    expect(await count(t, 'attempt_counters', lock)).toBe(1)
    t.advance(400)
    await purgeExpired(t.db, t.clock.now)
    expect(await count(t, 'attempt_counters', `key like 'pw:%'`)).toBe(0)
    // The sign-up throttle's counter lives for its own window (an hour).
    expect(await count(t, 'attempt_counters', `key like 'signup:%'`)).toBe(1)
    t.advance(2600)
    await purgeExpired(t.db, t.clock.now)
    expect(await count(t, 'attempt_counters')).toBe(0)

    await t.client.execute({
      sql: `insert into twofold_outbox (id, "to", subject, text, html, created_at) values ('msg_1', 'x@example.com', 's', 't', 'h', ?)`,
      args: [t.clock.now],
    })
    const mail = await count(t, 'outbox')
    t.advance(2 * 24 * 3600)
    await purgeExpired(t.db, t.clock.now, { retentionDays: 3 })
    expect(await count(t, 'outbox')).toBe(mail)
    await purgeExpired(t.db, t.clock.now, { retentionDays: 1 })
    expect(await count(t, 'outbox')).toBe(0)
  })

  it('the Node timer purges at once, then hourly, without keeping the process alive', async () => {
    const t = await makeApp()
    const user = await t.signUp('root@example.com')
    t.advance(8 * 24 * 3600)
    const purge = startPurgeTimer(t.db, {}, () => t.clock.now)
    try {
      expect(purge.timer.hasRef()).toBe(false)
      await expect.poll(() => count(t, 'sessions')).toBe(0)
      expect((await t.call('GET', '/api/auth/session', { token: user.token })).status).toBe(401)
    } finally {
      purge.stop()
    }
  })
})
