import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

describe('parallel requests cannot double-spend a code', () => {
  it('20 parallel sign-ins with one TOTP code, each on its own challenge → exactly one session', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(30)
    // One password sign-in after another: parallel ones beyond the account's password limit
    // are refused (a try is reserved before each evaluation).
    const challenges: string[] = []
    for (let i = 0; i < 20; i++) challenges.push(await t.challenge(email))
    const code = await t.code(secret)
    const results = await Promise.all(
      challenges.map((challengeToken) =>
        t.call('POST', '/api/auth/sign-in/two-factor', { body: { challengeToken, code } }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(
      results.filter((r) => r.status === 401).every((r) => r.body.error.code === 'INVALID_CODE'),
    ).toBe(true)
    const sessions = await t.client.execute('select count(*) n from twofold_sessions')
    expect(sessions.rows[0]!.n).toBe(2) // the sign-up session and one more
  })

  it('20 parallel requests with one TOTP code on one challenge → exactly one session', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(30)
    const challengeToken = await t.challenge(email)
    const code = await t.code(secret)
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.call('POST', '/api/auth/sign-in/two-factor', { body: { challengeToken, code } }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
  })

  it('20 parallel sign-ins with one backup code → exactly one session, the code used once', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { backupCodes } = await t.enroll(token)
    // One password sign-in after another: parallel ones beyond the account's password limit
    // are refused (a try is reserved before each evaluation).
    const challenges: string[] = []
    for (let i = 0; i < 20; i++) challenges.push(await t.challenge(email))
    const results = await Promise.all(
      challenges.map((challengeToken) =>
        t.call('POST', '/api/auth/sign-in/two-factor', {
          body: { challengeToken, code: backupCodes[0] },
        }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    const used = await t.client.execute(
      'select count(*) n from twofold_backup_codes where used_at is not null',
    )
    expect(used.rows[0]!.n).toBe(1)
  })
})
