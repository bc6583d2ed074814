/**
 * What one sign-in step costs the database, counted at the libSQL client the app was given:
 * round trips (an `execute` or a `batch` each), statements, and commits (a batch that writes is
 * one transaction; a write outside a batch commits on its own).
 */
import type { Client, InStatement } from '@libsql/client'
import { describe, expect, it } from 'vitest'
import type { Db } from '../../api/db/client'
import { rawDriver } from '../../api/db/raw'
import type { MailMessage } from '../../api/lib/mailer'
import { passChallenge } from '../../api/services/sign-in.service'
import { makeApp } from './helpers'

const STEP = '/api/auth/sign-in/two-factor'
const SEND = '/api/auth/sign-in/two-factor/email'
const writes = /^\s*(insert|update|delete|replace)\b/i
const sqlOf = (s: InStatement) => (typeof s === 'string' ? s : s.sql)

/**
 * Counts at the client the app was given and at the hot path's own driver (on an embedded file,
 * a native connection with a statement cache: `api/db/native.ts`).
 */
function meter(client: Client, db: Db) {
  const counts = { reads: 0, batches: 0, statements: 0, commits: 0 }
  const driver = rawDriver(db)
  const read = driver.read.bind(driver)
  const driverBatch = driver.batch.bind(driver)
  driver.read = (statement) => {
    counts.reads++
    counts.statements++
    if (writes.test(statement.sql)) counts.commits++
    return read(statement)
  }
  driver.batch = (statements) => {
    counts.batches++
    counts.statements += statements.length
    if (statements.some((s) => writes.test(s.sql))) counts.commits++
    return driverBatch(statements)
  }
  const execute = client.execute.bind(client)
  const batch = client.batch.bind(client)
  client.execute = ((stmt: InStatement, args?: never) => {
    counts.reads++
    counts.statements++
    if (writes.test(sqlOf(stmt))) counts.commits++
    return execute(stmt as never, args)
  }) as Client['execute']
  client.batch = ((stmts: InStatement[], mode?: never) => {
    counts.batches++
    counts.statements += stmts.length
    if (stmts.some((s) => writes.test(sqlOf(s)))) counts.commits++
    return batch(stmts, mode)
  }) as Client['batch']
  /** The counts of what `run` sent. */
  return async <T>(run: () => Promise<T>) => {
    const before = { ...counts }
    const result = await run()
    const spent = {
      roundTrips: counts.reads - before.reads + counts.batches - before.batches,
      reads: counts.reads - before.reads,
      batches: counts.batches - before.batches,
      statements: counts.statements - before.statements,
      commits: counts.commits - before.commits,
    }
    return { result, spent }
  }
}

async function enrolled() {
  const mail: MailMessage[] = []
  const t = await makeApp({ mailer: { send: async (m) => void mail.push(m) } })
  await t.signUp('root@example.com')
  const user = await t.signUp('ada@example.com')
  const { secret, backupCodes } = await t.enroll(user.token)
  t.advance(30)
  const counted = meter(t.client, t.db)
  const step = (challengeToken: string, code: string, extra: Record<string, unknown> = {}) =>
    counted(() => t.call('POST', STEP, { body: { challengeToken, code, ...extra } }))
  return { t, mail, user, secret, backupCodes, counted, step }
}

/** One read round trip and one write batch (one commit). */
const oneReadOneBatch = { roundTrips: 2, reads: 1, batches: 1, commits: 1 }

describe('second step: one read and one conditional write batch', () => {
  it('a TOTP code: 1 read + 1 batch, 1 commit, 9 statements', async () => {
    const { t, user, secret, step } = await enrolled()
    const { result, spent } = await step(await t.challenge(user.email), await t.code(secret))
    expect(result.status).toBe(200)
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 9 })
  })

  it('a wrong code: 1 read + 1 batch, 1 commit, 5 statements', async () => {
    const { t, user, step } = await enrolled()
    const { result, spent } = await step(await t.challenge(user.email), '000000')
    expect(result.status).toBe(401)
    expect(result.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 5 })
  })

  it('the failure that locks the account: still 1 read + 1 batch', async () => {
    const { t, user, step } = await enrolled()
    for (let c = 0; c < 2; c++) {
      const challenge = await t.challenge(user.email)
      for (let i = 0; i < (c === 0 ? 5 : 4); i++) await step(challenge, '000000')
    }
    const { result, spent } = await step(await t.challenge(user.email), '000000')
    expect(result.status).toBe(429)
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 5 })
    // Locked: the read alone answers, nothing is written.
    const locked = await step(await t.challenge(user.email), '000000')
    expect(locked.result.status).toBe(429)
    expect(locked.spent).toEqual({ roundTrips: 1, reads: 1, batches: 0, statements: 1, commits: 0 })
  })

  it('a backup code, remembering the device: 1 read + 1 batch, 1 commit', async () => {
    const { t, user, backupCodes, step } = await enrolled()
    const challenge = await t.challenge(user.email)
    const { result, spent } = await step(challenge, backupCodes[0]!, { rememberDevice: true })
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 })
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 10 })
  })

  it('sending an emailed code and passing with it: 1 read + 1 batch each', async () => {
    const { t, mail, user, counted, step } = await enrolled()
    const challengeToken = await t.challenge(user.email)
    const sent = await counted(() => t.call('POST', SEND, { body: { challengeToken } }))
    expect(sent.result.status).toBe(202)
    expect(sent.spent).toEqual({ ...oneReadOneBatch, statements: 5 })
    await t.settle()
    const code = mail.at(-1)!.text.match(/\b(\d{6})\b/)![1]!
    const { result, spent } = await step(challengeToken, code, { method: 'email' })
    expect(result.status).toBe(200)
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 8 })
  })
})

describe('password step: two batches around PBKDF2', () => {
  const twoBatches = { roundTrips: 2, reads: 0, batches: 2, commits: 2 }

  it('a challenge, a wrong password, a sign-in without a factor: 2 batches each', async () => {
    const { t, user, counted } = await enrolled()
    const signIn = (email: string, password: string) =>
      counted(() => t.call('POST', '/api/auth/sign-in', { body: { email, password } }))
    const challenge = await signIn(user.email, user.password)
    expect(challenge.result.body.status).toBe('two_factor_required')
    expect(challenge.spent).toEqual({ ...twoBatches, statements: 6 })
    const wrong = await signIn(user.email, 'wrong password')
    expect(wrong.result.status).toBe(401)
    expect(wrong.spent).toEqual({ ...twoBatches, statements: 6 })
    const plain = await signIn('root@example.com', 'correct horse')
    expect(plain.result.body.status).toBe('authenticated')
    expect(plain.spent).toEqual({ ...twoBatches, statements: 8 })
  })
})

describe("second step without Twofold's own session (embedded mode)", () => {
  it('issueSession: false claims the code and audits it, but inserts no session', async () => {
    const { t, user, secret, counted } = await enrolled()
    const challengeToken = await t.challenge(user.email)
    const sessions = async () =>
      Number((await t.client.execute('select count(*) n from twofold_sessions')).rows[0]!.n)
    const before = await sessions()
    const meta = { ip: '203.0.113.9', userAgent: 'test' }
    const input = { challengeToken, code: await t.code(secret) }
    const { result, spent } = await counted(() =>
      passChallenge(t.app.deps, meta, input, { issueSession: false }),
    )
    expect(result.answer).toMatchObject({ status: 'authenticated', method: 'totp' })
    expect(result.answer.session).toBeUndefined()
    expect(result.session).toBeUndefined()
    expect(spent).toEqual({ ...oneReadOneBatch, statements: 8 })
    expect(await sessions()).toBe(before)
    const events = await t.client.execute({
      sql: 'select action from twofold_audit_events where user_id = ? and created_at = ?',
      args: [user.user.id, t.clock.now],
    })
    expect(events.rows.map((r) => r.action).sort()).toEqual([
      'sign_in',
      'two_factor_challenge_passed',
    ])
    // The claims took effect: the challenge is spent and the code's step is used.
    const again = passChallenge(t.app.deps, meta, input, { issueSession: false })
    await expect(again).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' })
    const replay = { challengeToken: await t.challenge(user.email), code: input.code }
    await expect(passChallenge(t.app.deps, meta, replay)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    })
  })
})
