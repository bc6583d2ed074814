import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CreateAppOptions } from '../../api/app'
import type { MailMessage } from '../../api/lib/mailer'
import { expectErrorShape, makeApp } from './helpers'

const SEND = '/api/auth/sign-in/two-factor/email'
const STEP = '/api/auth/sign-in/two-factor'

/** An app capturing mail, with one TOTP-enrolled user (not the admin unless `admin`). */
async function setup(options: Partial<CreateAppOptions> = {}, email = 'ada@example.com') {
  const sent: MailMessage[] = []
  const t = await makeApp({ mailer: { send: async (m) => void sent.push(m) }, ...options })
  const admin = await t.signUp('root@example.com')
  const user = await t.signUp(email)
  const { secret, backupCodes } = await t.enroll(user.token)
  t.advance(30) // the enrollment code's step is used
  const send = (challengeToken: string) => t.call('POST', SEND, { body: { challengeToken } })
  const step = (challengeToken: string, code: string, method?: string) =>
    t.call('POST', STEP, { body: { challengeToken, code, ...(method ? { method } : {}) } })
  /** Sends a code for the challenge and returns it as the mail carried it. */
  const emailCode = async (challengeToken: string) => {
    const res = await send(challengeToken)
    expect(res.status).toBe(202)
    await t.settle()
    const mail = sent.filter((m) => m.subject.includes('sign-in code')).at(-1)!
    return mail.text.match(/\b(\d{6})\b/)![1]!
  }
  return { t, sent, admin, user, secret, backupCodes, send, step, emailCode }
}

const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const audit = async (t: { client: any }, action: string) =>
  (
    await t.client.execute({
      sql: 'select * from twofold_audit_events where action = ?',
      args: [action],
    })
  ).rows

afterEach(() => {
  vi.restoreAllMocks()
})

describe('email code: send and verify', () => {
  it('202 with a masked address; the mail has subject, text and HTML with a 6-digit code', async () => {
    const { t, sent, send, user, step, secret } = await setup()
    const challengeToken = await t.challenge(user.email)
    const res = await send(challengeToken)
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ sentTo: 'a***@example.com', resendAfter: 60 })
    await t.settle()
    const mail = sent.find((m) => m.subject.includes('sign-in code'))!
    expect(mail.to).toBe('ada@example.com')
    const code = mail.text.match(/\b(\d{6})\b/)![1]!
    expect(code).toMatch(/^\d{6}$/)
    expect(mail.html).toContain(code)
    expect(mail.subject).not.toContain(code)
    // Stored only as a keyed hash, never as the code or its plain SHA-256.
    const pending = 'select * from twofold_challenges where email_code_hash is not null'
    const row = (await t.client.execute(pending)).rows[0]!
    expect(JSON.stringify(row)).not.toContain(code)
    expect(row.email_code_expires_at).toBe(t.clock.now + 600_000)
    expect((await audit(t, 'email_code_sent'))[0]!.metadata).toBe('{"sentTo":"a***@example.com"}')

    const ok = await step(challengeToken, code, 'email')
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ status: 'authenticated', method: 'email' })
    expect(ok.body.session.token).toEqual(expect.any(String))
    const passed = await audit(t, 'two_factor_challenge_passed')
    expect(JSON.parse(passed[0]!.metadata as string)).toEqual({ method: 'email' })
    // Used once: the same request again is refused, and the stored hash is gone.
    const again = await step(challengeToken, code, 'email')
    expect(again.status).toBe(401)
    expectErrorShape(again.body)
    expect((await t.client.execute(pending)).rows).toHaveLength(0)
    // The TOTP factor is untouched: a later sign-in still takes an authenticator code.
    const next = await step(await t.challenge(user.email), await t.code(secret), 'totp')
    expect(next.body.method).toBe('totp')
  })

  it('without a method, a TOTP code still passes while an email code is pending', async () => {
    const { t, user, step, emailCode, secret } = await setup()
    const challengeToken = await t.challenge(user.email)
    await emailCode(challengeToken)
    const ok = await step(challengeToken, await t.code(secret))
    expect(ok.status).toBe(200)
    expect(ok.body.method).toBe('totp')
  })

  it('without a method, six digits are the pending email code', async () => {
    const { t, user, step, emailCode } = await setup()
    const challengeToken = await t.challenge(user.email)
    const code = await emailCode(challengeToken)
    const ok = await step(challengeToken, code)
    expect(ok.status).toBe(200)
    expect(ok.body.method).toBe('email')
  })

  it('expires after 10 minutes, even on a longer-lived challenge', async () => {
    const { t, user, step, emailCode } = await setup({ limits: { challengeTtlSeconds: 3600 } })
    const [a, b] = [await t.challenge(user.email), await t.challenge(user.email)]
    const [codeA, codeB] = [await emailCode(a), await emailCode(b)]
    t.advance(599)
    expect((await step(a, codeA, 'email')).status).toBe(200)
    t.advance(1)
    const late = await step(b, codeB, 'email')
    expect(late.status).toBe(401)
    expect(late.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
  })

  it('is bound to its challenge: a code from challenge A is refused on challenge B', async () => {
    const { t, user, step, emailCode, send } = await setup()
    const [a, b] = [await t.challenge(user.email), await t.challenge(user.email)]
    const codeA = await emailCode(a)
    const onB = await step(b, codeA, 'email') // B has no code at all
    expect(onB.status).toBe(401)
    expect(onB.body.error.code).toBe('INVALID_CODE')
    expect((await send(b)).status).toBe(202) // B has its own code now
    expect((await step(b, codeA, 'email')).status).toBe(401)
    expect((await step(a, codeA, 'email')).status).toBe(200)
  })

  it('the challenge allows 5 wrong codes, email ones included', async () => {
    const { t, user, step, emailCode, send } = await setup()
    const challengeToken = await t.challenge(user.email)
    const code = await emailCode(challengeToken)
    for (let left = 4; left >= 0; left--) {
      const wrong = await step(challengeToken, other(code), 'email')
      expect(wrong.status).toBe(401)
      expect(wrong.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: left })
    }
    const right = await step(challengeToken, code, 'email')
    expect(right.status).toBe(401)
    expect(right.body.error.code).toBe('INVALID_CHALLENGE')
    expect((await send(challengeToken)).body.error.code).toBe('INVALID_CHALLENGE')
    const failed = await audit(t, 'two_factor_challenge_failed')
    expect(failed.map((r: any) => JSON.parse(r.metadata).method)).toEqual(Array(5).fill('email'))
  })
})

describe('email code: resend wait and hourly cap', () => {
  it('a resend within 60 s is 429; after it a new code replaces the old one', async () => {
    const { t, user, step, emailCode, send, sent } = await setup()
    const challengeToken = await t.challenge(user.email)
    const first = await emailCode(challengeToken)
    t.advance(20)
    const early = await send(challengeToken)
    expect(early.status).toBe(429)
    expectErrorShape(early.body)
    expect(early.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfter: 40 })
    expect(early.headers.get('retry-after')).toBe('40')
    await t.settle()
    expect(sent.filter((m) => m.subject.includes('sign-in code'))).toHaveLength(1)
    t.advance(40)
    const second = await emailCode(challengeToken)
    if (second !== first) {
      const old = await step(challengeToken, first, 'email')
      expect(old.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
    }
    expect((await step(challengeToken, second, 'email')).status).toBe(200)
  })

  it('at most 5 sends per hour per account, on fresh challenges too; refused resends do not count', async () => {
    const { t, user, send } = await setup()
    const first = await t.challenge(user.email)
    expect((await send(first)).status).toBe(202)
    expect((await send(first)).status).toBe(429) // resend wait, not a send
    for (let i = 0; i < 4; i++) expect((await send(await t.challenge(user.email))).status).toBe(202)
    t.advance(1800)
    const capped = await send(await t.challenge(user.email))
    expect(capped.status).toBe(429)
    expect(capped.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfter: 1800 })
    expect(capped.headers.get('retry-after')).toBe('1800')
    t.advance(1800)
    expect((await send(await t.challenge(user.email))).status).toBe(202)
  })
})

describe('email code: lockout and policy', () => {
  it('failures count toward the account lockout with TOTP and backup codes', async () => {
    const { t, user, step, emailCode, secret } = await setup()
    const wrongTotp = async () => [await t.code(secret, 600), 'totp'] as const
    const wrongBackup = ['ZZZZZ-ZZZZZ', 'backup_code'] as const
    const c1 = await t.challenge(user.email)
    const e1 = await emailCode(c1)
    const c2 = await t.challenge(user.email)
    const e2 = await emailCode(c2)
    const tries: [string, readonly [string, string]][] = [
      [c1, [other(e1), 'email']],
      [c1, await wrongTotp()],
      [c1, [other(e1), 'email']],
      [c1, wrongBackup],
      [c1, [other(e1), 'email']],
      [c2, wrongBackup],
      [c2, [other(e2), 'email']],
      [c2, await wrongTotp()],
      [c2, [other(e2), 'email']],
    ]
    for (const [challengeToken, [code, method]] of tries) {
      expect((await step(challengeToken, code, method)).status).toBe(401)
    }
    const c3 = await t.challenge(user.email)
    const e3 = await emailCode(c3)
    const tenth = await step(c3, other(e3), 'email')
    expect(tenth.status).toBe(429)
    expect(tenth.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfter: 900 })
    expect(tenth.headers.get('retry-after')).toBe('900')
    expect(await audit(t, 'account_locked')).toHaveLength(1)
    t.advance(60)
    const locked = await step(c3, e3, 'email')
    expect(locked.status).toBe(429)
    expect(locked.body.error.retryAfter).toBe(840)
    t.advance(840)
    const c4 = await t.challenge(user.email)
    const ok = await step(c4, await emailCode(c4), 'email')
    expect(ok.status).toBe(200)
    expect(ok.body.method).toBe('email')
  })

  it('with emailFallback off the challenge lacks email, sending is 403, sent codes stop', async () => {
    const { t, admin, user, send, step, emailCode } = await setup()
    const before = await t.challenge(user.email)
    const code = await emailCode(before)
    const policy = { enforce: 'off', gracePeriodDays: 0, emailFallback: false }
    const put = await t.call('PUT', '/api/admin/policy', { token: admin.token, body: policy })
    expect(put.status).toBe(200)
    expect(put.body).toEqual(policy)
    const credentials = { email: user.email, password: user.password }
    const signIn = await t.call('POST', '/api/auth/sign-in', { body: credentials })
    expect(signIn.body.challenge.methods).toEqual(['totp', 'backup_code'])
    const refused = await send(signIn.body.challenge.token)
    expect(refused.status).toBe(403)
    expectErrorShape(refused.body)
    expect(refused.body.error.code).toBe('EMAIL_FALLBACK_DISABLED')
    expect(await audit(t, 'email_code_sent')).toHaveLength(1) // the one sent before
    const stale = await step(before, code, 'email')
    expect(stale.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
    const on = { ...policy, emailFallback: true }
    const back = await t.call('PUT', '/api/admin/policy', { token: admin.token, body: on })
    expect(back.status).toBe(200)
    const again = await t.call('POST', '/api/auth/sign-in', { body: credentials })
    expect(again.body.challenge.methods).toContain('email')
  })
})

describe('email code: secrecy and races', () => {
  it('the code never reaches the audit table or the console (default outbox mailer)', async () => {
    const spies = (['log', 'error', 'warn'] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation(() => {}),
    )
    const t = await makeApp()
    await t.signUp('root@example.com')
    const user = await t.signUp('bo@example.com')
    await t.enroll(user.token)
    const challengeToken = await t.challenge(user.email)
    expect((await t.call('POST', SEND, { body: { challengeToken } })).status).toBe(202)
    await t.settle()
    const mails = "select * from twofold_outbox where subject like '%sign-in code%'"
    const outbox = await t.client.execute(mails)
    expect(outbox.rows).toHaveLength(1)
    const code = String(outbox.rows[0]!.text).match(/\b(\d{6})\b/)![1]!
    const body = (code: string) => ({ challengeToken, code, method: 'email' })
    expect((await t.call('POST', STEP, { body: body(other(code)) })).status).toBe(401)
    expect((await t.call('POST', STEP, { body: body(code) })).status).toBe(200)
    await t.settle()
    const events = await t.client.execute('select * from twofold_audit_events')
    expect(events.rows.map((r) => r.action)).toContain('email_code_sent')
    for (const row of events.rows) expect(JSON.stringify(row)).not.toContain(code)
    const logged = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')))
    expect(logged.some((line) => line.includes('mail to bo@example.com'))).toBe(true)
    for (const line of logged) expect(line).not.toContain(code)
  })

  it('20 parallel second steps with one email code on one challenge → exactly one session', async () => {
    const { t, user, step, emailCode } = await setup()
    const challengeToken = await t.challenge(user.email)
    const code = await emailCode(challengeToken)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => step(challengeToken, code, i % 2 ? 'email' : undefined)),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 401)).toBe(true)
    const sessions = await t.client.execute('select count(*) n from twofold_sessions')
    expect(sessions.rows[0]!.n).toBe(3) // two sign-up sessions and one more
  })

  it('20 parallel sends on one challenge → one mail; the hourly count is one send', async () => {
    const { t, user, send, sent } = await setup()
    const challengeToken = await t.challenge(user.email)
    const results = await Promise.all(Array.from({ length: 20 }, () => send(challengeToken)))
    expect(results.filter((r) => r.status === 202)).toHaveLength(1)
    expect(results.filter((r) => r.status === 429)).toHaveLength(19)
    await t.settle()
    expect(sent.filter((m) => m.subject.includes('sign-in code'))).toHaveLength(1)
    for (let i = 0; i < 4; i++) expect((await send(await t.challenge(user.email))).status).toBe(202)
    expect((await send(await t.challenge(user.email))).status).toBe(429)
  })
})

describe('email code: while locked', () => {
  it('no code is sent while the second factor is locked', async () => {
    const { t, user, send, step } = await setup()
    for (let c = 0; c < 2; c++) {
      const token = await t.challenge(user.email)
      for (let i = 0; i < 5; i++) await step(token, '000000', 'totp')
    }
    const res = await send(await t.challenge(user.email))
    expect(res.status).toBe(429)
    expect(res.body.error.code).toBe('TOO_MANY_ATTEMPTS')
  })
})
