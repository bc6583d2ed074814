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
import { createClient } from '@libsql/client'
import { generate } from 'otplib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { VirtualPasskey } from '../api/virtual-authenticator'
import { startHranaServer, type HranaServer } from './hrana-server'
import { apiClient, expectBurstSurvived } from './http'
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
  migrations: { table: 'twofold_migrations' },
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

// First in the file: the database is still empty, so the sign-ups race for the first account.
it('five parallel first sign-ups make exactly one admin', async () => {
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      call('POST', '/api/auth/sign-up', {
        body: { email: `first${i}@example.com`, password: 'correct horse battery' },
      }),
    ),
  )
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201])
  expect(answers.filter((a) => a.body.user.role === 'admin')).toHaveLength(1)
})

it('two admins demoting each other at once leave one admin', async () => {
  const password = 'correct horse battery'
  const signIn = async (email: string) =>
    (await call('POST', '/api/auth/sign-in', { body: { email, password } })).body
  // Whoever won the first sign-up is the admin; they promote a second one.
  const firsts = await Promise.all(
    [0, 1, 2, 3, 4].map(async (i) => signIn(`first${i}@example.com`)),
  )
  const first = firsts.find((answer) => answer.user.role === 'admin')!.user as {
    id: string
    email: string
  }
  const firstToken = (await signIn(first.email)).session.token as string
  const other = ['first0@example.com', 'first1@example.com'].find((e) => e !== first.email)!
  const list = await call('GET', `/api/admin/users?q=${encodeURIComponent(other)}`, {
    token: firstToken,
  })
  const second = list.body.users[0] as { id: string }
  const promoted = await call('PATCH', `/api/admin/users/${second.id}`, {
    token: firstToken,
    body: { role: 'admin' },
  })
  expect(promoted.status).toBe(200)
  const secondToken = (await signIn(other)).session.token as string

  for (let round = 0; round < 3; round++) {
    const [a, b] = await Promise.all([
      call('PATCH', `/api/admin/users/${second.id}`, { token: firstToken, body: { role: 'user' } }),
      call('PATCH', `/api/admin/users/${first.id}`, { token: secondToken, body: { role: 'user' } }),
    ])
    // a: the first demotes the second; b: the second demotes the first.
    const [winner, loserId] = a.status === 200 ? [firstToken, second.id] : [secondToken, first.id]
    const left = await call('GET', '/api/admin/users?role=admin', { token: winner })
    expect(left.status, JSON.stringify([a.body, b.body])).toBe(200)
    expect(left.body.total).toBe(1)
    // The loser is refused as the last admin (409), or as no admin any more (403).
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1)
    expect([a, b].filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual([
      expect.stringMatching(/^(LAST_ADMIN|FORBIDDEN)$/),
    ])
    // Promote the demoted one again for the next round.
    const restored = await call('PATCH', `/api/admin/users/${loserId}`, {
      token: winner,
      body: { role: 'admin' },
    })
    expect(restored.status).toBe(200)
  }
})

it('answers a burst of 120 parallel database requests without a 5xx, then still signs in', async () => {
  await expectBurstSurvived(worker.url, call)
  expect(worker.output()).not.toMatch(/hung|unexpected error/)
  expect(worker.output()).not.toMatch(/hung|unexpected error/)
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

  expect(hrana.statements.some((sql) => /insert into "twofold_users"/i.test(sql))).toBe(true)
  expect(hrana.statements.some((sql) => /^BEGIN/i.test(sql))).toBe(true) // db.batch
})

it('on remote libSQL a second step is 1 read + 1 write round trip (one transaction)', async () => {
  const email = 'hedy@example.com'
  const password = 'correct horse battery'
  const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
  const session = signUp.body.session.token as string
  const setup = await call('POST', '/api/two-factor/setup', { token: session })
  const secret = setup.body.secret as string
  const epoch = (steps: number) => Math.floor(Date.now() / 1000) + steps * 30
  const verify = await call('POST', '/api/two-factor/setup/verify', {
    token: session,
    body: { code: await generate({ secret, epoch: epoch(0) }) },
  })
  expect(verify.status).toBe(200)
  const signIn = await call('POST', '/api/auth/sign-in', { body: { email, password } })
  const before = hrana.requests.length
  const passed = await call('POST', '/api/auth/sign-in/two-factor', {
    body: {
      challengeToken: signIn.body.challenge.token,
      code: await generate({ secret, epoch: epoch(1) }),
      method: 'totp',
    },
  })
  expect(passed.status).toBe(200)
  const requests = hrana.requests.slice(before)
  expect(requests).toHaveLength(2)
  // The first reads (one SELECT, no transaction); the second is the batch: one transaction.
  expect(requests[0]!.statements).toHaveLength(1)
  expect(requests[0]!.statements[0]).toMatch(/^\s*SELECT/i)
  const writes = requests[1]!.statements
  expect(writes[0]).toMatch(/^BEGIN IMMEDIATE/i)
  expect(writes.at(-1)).toMatch(/^COMMIT/i)
  expect(writes.filter((sql) => /^(BEGIN|COMMIT)/i.test(sql))).toHaveLength(2)
})

it('signs in with a passkey on remote libSQL (1 read + 1 write round trip); a replay is a wrong code', async () => {
  const email = 'lin@example.com'
  const password = 'correct horse battery'
  const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
  expect(signUp.status).toBe(201)
  const { origin, hostname } = new URL(worker.url)
  const key = new VirtualPasskey({ origin, rpId: hostname })
  const creation = await call('POST', '/api/two-factor/passkeys/options', {
    token: signUp.body.session.token,
  })
  const registered = await call('POST', '/api/two-factor/passkeys', {
    token: signUp.body.session.token,
    body: { name: 'Laptop', credential: key.register(creation.body.options) },
  })
  expect(registered.status).toBe(201)

  const challenge = async () => {
    const res = await call('POST', '/api/auth/sign-in', { body: { email, password } })
    expect(res.body.challenge.methods).toContain('passkey')
    const challengeToken = res.body.challenge.token as string
    const options = await call('POST', '/api/auth/sign-in/two-factor/passkey', {
      body: { challengeToken },
    })
    expect(options.status).toBe(200)
    expect(options.body.options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([key.id])
    return { challengeToken, options: options.body.options }
  }
  const second = (challengeToken: string, credential: unknown) =>
    call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken, method: 'passkey', credential },
    })

  const first = await challenge()
  const assertion = key.assert(first.options)
  const before = hrana.requests.length
  const passed = await second(first.challengeToken, assertion)
  expect(passed.status).toBe(200)
  expect(passed.body).toMatchObject({ status: 'authenticated', method: 'passkey' })
  // The assertion is verified in memory between the read and the one transaction.
  const requests = hrana.requests.slice(before)
  expect(requests).toHaveLength(2)
  expect(requests[1]!.statements[0]).toMatch(/^BEGIN IMMEDIATE/i)
  const session = await call('GET', '/api/auth/session', { token: passed.body.session.token })
  expect(session.body.user.email).toBe(email)

  const replayed = await challenge()
  const refused = await second(replayed.challengeToken, assertion)
  expect([refused.status, refused.body.error?.code]).toEqual([401, 'INVALID_CODE'])
  expect(refused.body.error.attemptsRemaining).toBe(4)
  // The counter went to the remote database: a rollback to it is refused, a higher one passes.
  const rollback = await challenge()
  const back = await second(rollback.challengeToken, key.assert(rollback.options, { counter: 1 }))
  expect([back.status, back.body.error?.code]).toEqual([401, 'INVALID_CODE'])
  const last = await challenge()
  expect((await second(last.challengeToken, key.assert(last.options))).status).toBe(200)
  const db = createClient({ url: `file:${join(dir, 'remote.db')}` })
  try {
    const [row] = (
      await db.execute({
        sql: `SELECT a.counter FROM twofold_authenticators a JOIN twofold_users u ON u.id = a.user_id
          WHERE u.email = ? AND a.type = 'passkey'`,
        args: [email],
      })
    ).rows
    expect(Number(row!.counter)).toBe(key.counter)
  } finally {
    db.close()
  }
})

it('purges expired rows from the remote database on the Cron Trigger', async () => {
  const db = createClient({ url: `file:${join(dir, 'remote.db')}` })
  try {
    const [user] = (await db.execute('SELECT id FROM twofold_users LIMIT 1')).rows
    const long = Date.now() - 40 * 24 * 3600_000
    await db.batch([
      {
        sql: `INSERT INTO twofold_sessions (id, user_id, token_hash, created_at, expires_at) VALUES ('ses_old', ?, 'old-hash', ?, ?)`,
        args: [user!.id, long, long + 1000],
      },
      {
        sql: `INSERT INTO twofold_attempt_counters (key, count, window_start) VALUES ('pw:account:nobody@example.com', 1, ?)`,
        args: [long],
      },
    ])
    const response = await fetch(`${worker.url}/__scheduled?cron=17+*+*+*+*`)
    expect(response.status).toBe(200)
    await expect
      .poll(
        async () =>
          (await db.execute(`SELECT count(*) n FROM twofold_sessions WHERE id = 'ses_old'`))
            .rows[0]!.n,
      )
      .toBe(0)
    const counters = await db.execute(
      `SELECT count(*) n FROM twofold_attempt_counters WHERE key LIKE 'pw:account:nobody%'`,
    )
    expect(counters.rows[0]!.n).toBe(0)
    // Live sessions stay.
    const live = await db.execute(
      `SELECT count(*) n FROM twofold_sessions WHERE expires_at > ${Date.now()}`,
    )
    expect(Number(live.rows[0]!.n)).toBeGreaterThan(0)
  } finally {
    db.close()
  }
})
