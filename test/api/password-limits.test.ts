/**
 * Password limits under parallel requests: a try is reserved in the database before PBKDF2
 * runs, so a burst evaluates at most the limit; a success hands back only its own try.
 */
import { describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from './helpers'

const signIn = (t: TestApp, email: string, password: string, headers?: Record<string, string>) =>
  t.call('POST', '/api/auth/sign-in', { body: { email, password }, headers })

async function counter(t: TestApp, key: string) {
  const rows = await t.client.execute({
    sql: 'select count, locked_until from twofold_attempt_counters where key = ?',
    args: [key],
  })
  const row = rows.rows[0]
  return row
    ? {
        count: Number(row.count),
        lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
      }
    : null
}

async function failures(t: TestApp, step = 'password') {
  const rows = await t.client.execute({
    sql: "select count(*) n from twofold_audit_events where action = 'sign_in_failed' and json_extract(metadata, '$.step') = ?",
    args: [step],
  })
  return Number(rows.rows[0]!.n)
}

describe('password sign-in: reserved before evaluation', () => {
  it('50 parallel wrong passwords against a limit of 10: at most 10 evaluated, the others 429', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(t, email, `wrong-${i}`)),
    )
    const evaluated = results.filter((r) => r.status === 401)
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    expect(evaluated.length).toBeLessThanOrEqual(10)
    expect(evaluated.length).toBeGreaterThan(0)
    expect(await failures(t)).toBe(evaluated.length)
    for (const r of results.filter((r) => r.status === 429)) {
      expect(r.body.error.code).toBe('TOO_MANY_ATTEMPTS')
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // The account is now throttled for the right password too.
    expect((await signIn(t, email, 'correct horse')).status).toBe(429)
  })

  it('a right password inside the burst does not wipe the failures of the others', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    const wrong = Array.from({ length: 30 }, (_, i) => signIn(t, email, `wrong-${i}`))
    const right = signIn(t, email, 'correct horse')
    const results = await Promise.all([...wrong.slice(0, 15), right, ...wrong.slice(15)])
    const evaluatedWrong = results.filter((r) => r.status === 401).length
    expect(evaluatedWrong).toBeLessThanOrEqual(10)
    expect(evaluatedWrong).toBeGreaterThanOrEqual(9)
    // Every failure is still counted: the success handed back only its own try.
    const row = await counter(t, `pw:account:${email}`)
    expect(row).not.toBeNull()
    expect(row!.count).toBeGreaterThanOrEqual(evaluatedWrong)
    // One more wrong password at most, and the account is locked even for the right one.
    const next = await signIn(t, email, 'wrong again')
    expect([401, 429]).toContain(next.status)
    expect((await signIn(t, email, 'correct horse')).status).toBe(429)
  })

  it('a success hands back its own try only: 3 failures, a success, the count stays 3', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    for (let i = 0; i < 3; i++) expect((await signIn(t, email, `wrong-${i}`)).status).toBe(401)
    expect((await signIn(t, email, 'correct horse')).status).toBe(200)
    expect((await counter(t, `pw:account:${email}`))!.count).toBe(3)
  })

  it('per IP: 50 parallel wrong passwords on 50 accounts from one address evaluate at most the limit', async () => {
    const t = await makeApp({ trustProxy: true, limits: { passwordFailuresPerIp: 10 } })
    const office = { 'x-forwarded-for': '203.0.113.7' }
    const { email } = await t.signUp('worker@example.com')
    const wrong = Array.from({ length: 50 }, (_, i) =>
      signIn(t, `nobody${i}@example.com`, 'x', office),
    )
    const right = signIn(t, email, 'correct horse', office)
    const results = await Promise.all([...wrong.slice(0, 25), right, ...wrong.slice(25)])
    const evaluatedWrong = results.filter((r) => r.status === 401).length
    expect(evaluatedWrong).toBeLessThanOrEqual(10)
    expect(await failures(t)).toBe(evaluatedWrong)
    expect((await counter(t, 'pw:ip:203.0.113.7'))!.count).toBeGreaterThanOrEqual(evaluatedWrong)
    expect((await signIn(t, `nobody-more@example.com`, 'x', office)).status).toBe(429)
  })
})

describe('password change: the current password counts against the account limit', () => {
  it('30 wrong current passwords, then the right one: refused once the limit is reached', async () => {
    const t = await makeApp()
    const { email, token } = await t.signUp()
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const res = await t.call('POST', '/api/auth/password', {
        token,
        body: { currentPassword: `wrong-${i}`, newPassword: 'new password 1' },
      })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual(Array(20).fill(429))
    const right = await t.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'correct horse', newPassword: 'new password 1' },
    })
    expect(right.status).toBe(429)
    expect(right.body.error.code).toBe('TOO_MANY_ATTEMPTS')
    // The same limit holds sign-in: the account is throttled there too.
    expect((await signIn(t, email, 'correct horse')).status).toBe(429)
    expect((await signIn(t, email, 'new password 1')).status).toBe(429)
  })

  it('30 parallel wrong current passwords evaluate at most 10, each failure audited', async () => {
    const t = await makeApp()
    const { token, user } = await t.signUp()
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.call('POST', '/api/auth/password', {
          token,
          body: { currentPassword: `wrong-${i}`, newPassword: 'new password 1' },
        }),
      ),
    )
    const evaluated = results.filter((r) => r.status === 401).length
    expect(evaluated).toBeLessThanOrEqual(10)
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    const audited = await t.client.execute({
      sql: "select user_id, metadata from twofold_audit_events where action = 'sign_in_failed'",
      args: [],
    })
    expect(audited.rows).toHaveLength(evaluated)
    for (const row of audited.rows) {
      expect(row.user_id).toBe(user.id)
      expect(JSON.parse(String(row.metadata))).toEqual({ step: 'password_change' })
    }
  })

  it('every change mails the user; a wrong current password changes nothing and mails nothing', async () => {
    const t = await makeApp()
    const { email, token } = await t.signUp('changer@example.com')
    const wrong = await t.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'nope nope', newPassword: 'new password 1' },
    })
    expect(wrong.status).toBe(401)
    await t.settle()
    expect((await t.client.execute('select count(*) n from twofold_outbox')).rows[0]!.n).toBe(0)
    for (const [current, next] of [
      ['correct horse', 'new password 1'],
      ['new password 1', 'new password 2'],
    ]) {
      const res = await t.call('POST', '/api/auth/password', {
        token,
        body: { currentPassword: current, newPassword: next },
      })
      expect(res.status).toBe(204)
    }
    await t.settle()
    const mail = (await t.client.execute('select "to", subject, text from twofold_outbox')).rows
    expect(mail).toHaveLength(2)
    for (const m of mail) {
      expect(m.to).toBe(email)
      expect(String(m.subject)).toMatch(/password was changed/i)
      expect(String(m.text)).not.toContain('new password')
    }
    expect((await signIn(t, email, 'new password 2')).status).toBe(200)
    expect(await failures(t, 'password_change')).toBe(1)
  })
})
