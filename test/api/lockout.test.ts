import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

const second = (t: Awaited<ReturnType<typeof makeApp>>, challengeToken: string, code: string) =>
  t.call('POST', '/api/auth/sign-in/two-factor', { body: { challengeToken, code } })

async function failedEvaluations(t: Awaited<ReturnType<typeof makeApp>>) {
  const rows = await t.client.execute(
    "select count(*) n from twofold_audit_events where action = 'two_factor_challenge_failed'",
  )
  return Number(rows.rows[0]!.n)
}

describe('second-factor lockout', () => {
  it('60 parallel wrong guesses over 12 challenges evaluate at most 10, then the account is locked', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    // The password step one at a time: parallel ones beyond its limit are refused by design.
    const challenges: string[] = []
    for (let i = 0; i < 12; i++) challenges.push(await t.challenge(email))
    const guesses = Array.from({ length: 60 }, (_, i) =>
      second(t, challenges[i % 12]!, String(100000 + i)),
    )
    const results = await Promise.all(guesses)
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    expect(await failedEvaluations(t)).toBeLessThanOrEqual(10)
    const counter = await t.client.execute(
      "select count, locked_until from twofold_attempt_counters where key like '2fa:%'",
    )
    expect(Number(counter.rows[0]!.count)).toBe(10)
    expect(Number(counter.rows[0]!.locked_until)).toBe(t.clock.now + 900_000)
    // The right code on a fresh challenge is not even evaluated while locked.
    t.advance(30)
    const right = await second(t, await t.challenge(email), await t.code(secret))
    expect(right.status).toBe(429)
    expect(right.body.error.code).toBe('TOO_MANY_ATTEMPTS')
    expect(right.body.error.retryAfter).toBe(870)
    expect(right.headers.get('retry-after')).toBe('870')
  })

  it('counts across challenges and methods; the 10th failure locks; a success resets the count', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret, backupCodes } = await t.enroll(token)
    // 9 failures mixing TOTP and backup codes, over two challenges, then a success.
    let challenge = await t.challenge(email)
    for (let i = 0; i < 9; i++) {
      if (i === 5) challenge = await t.challenge(email)
      const res = await second(t, challenge, i % 2 ? 'AAAAA-AAAAA' : '000000')
      expect(res.status).toBe(401)
    }
    t.advance(30)
    expect((await second(t, challenge, await t.code(secret))).status).toBe(200)
    // The count started again: 9 more failures still do not lock.
    challenge = await t.challenge(email)
    for (let i = 0; i < 9; i++) {
      if (i % 5 === 0) challenge = await t.challenge(email)
      expect((await second(t, challenge, '000000')).status).toBe(401)
    }
    const tenth = await second(t, challenge, '000000')
    expect(tenth.status).toBe(429)
    const backup = await second(t, await t.challenge(email), backupCodes[0]!)
    expect(backup.status).toBe(429)
    // The backup code was not spent while locked.
    const used = await t.client.execute(
      'select count(*) n from twofold_backup_codes where used_at is not null',
    )
    expect(used.rows[0]!.n).toBe(0)
  })

  it('the lock ends after 15 minutes (injected clock)', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    for (let c = 0; c < 2; c++) {
      const challenge = await t.challenge(email)
      for (let i = 0; i < 5; i++) await second(t, challenge, '000000')
    }
    t.advance(899)
    expect((await second(t, await t.challenge(email), await t.code(secret))).status).toBe(429)
    t.advance(2)
    expect((await second(t, await t.challenge(email), await t.code(secret))).status).toBe(200)
  })

  it('an admin unlock clears the lock', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const { token, email, user } = await t.signUp('user@example.com')
    const { secret } = await t.enroll(token)
    for (let c = 0; c < 2; c++) {
      const challenge = await t.challenge(email)
      for (let i = 0; i < 5; i++) await second(t, challenge, '000000')
    }
    const listed = await t.call('GET', '/api/admin/users?q=user@', { token: admin.token })
    expect(listed.body.users[0].lockedUntil).toBe(new Date(t.clock.now + 900_000).toISOString())
    const unlock = await t.call('POST', `/api/admin/users/${user.id}/unlock`, {
      token: admin.token,
    })
    expect(unlock.status).toBe(200)
    t.advance(30)
    expect((await second(t, await t.challenge(email), await t.code(secret))).status).toBe(200)
  })

  it('disable and regenerate count toward the same lock', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const { secret } = await t.enroll(token)
    for (let i = 0; i < 9; i++) {
      expect(
        (await t.call('POST', '/api/two-factor/disable', { token, body: { code: '000000' } }))
          .status,
      ).toBe(401)
    }
    expect(
      (await t.call('POST', '/api/two-factor/backup-codes', { token, body: { code: '000000' } }))
        .status,
    ).toBe(429)
    t.advance(30)
    const right = await t.call('POST', '/api/two-factor/disable', {
      token,
      body: { code: await t.code(secret) },
    })
    expect(right.status).toBe(429)
  })
})

describe('password throttling', () => {
  it('10 failed passwords for an account → 429 with Retry-After, even with the right password', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    for (let i = 0; i < 10; i++) {
      const res = await t.call('POST', '/api/auth/sign-in', {
        body: { email, password: `wrong-${i}` },
      })
      expect(res.status).toBe(401)
    }
    const locked = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBe(900)
    t.advance(901)
    expect(
      (await t.call('POST', '/api/auth/sign-in', { body: { email, password: 'correct horse' } }))
        .status,
    ).toBe(200)
  })

  it('per IP: failures from one address are capped; 120 good sign-ins a minute from one office pass', async () => {
    const t = await makeApp({ trustProxy: true, limits: { passwordFailuresPerIp: 20 } })
    const office = { 'x-forwarded-for': '203.0.113.7' }
    const { email } = await t.signUp('worker@example.com')
    // 12 waves of 10 at once (a try is reserved while each is evaluated, so more than the limit
    // at the same instant would be refused); successes hand their tries back.
    const good = []
    for (let wave = 0; wave < 12; wave++) {
      good.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () =>
            t.call('POST', '/api/auth/sign-in', {
              body: { email, password: 'correct horse' },
              headers: office,
            }),
          ),
        )),
      )
      t.advance(5)
    }
    expect(good).toHaveLength(120)
    expect(good.every((r) => r.status === 200)).toBe(true)
    for (let i = 0; i < 20; i++) {
      await t.call('POST', '/api/auth/sign-in', {
        body: { email: `nobody${i}@example.com`, password: 'x' },
        headers: office,
      })
    }
    const blocked = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
      headers: office,
    })
    expect(blocked.status).toBe(429)
    const elsewhere = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
      headers: { 'x-forwarded-for': '198.51.100.1' },
    })
    expect(elsewhere.status).toBe(200)
  })
})
