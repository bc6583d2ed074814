/**
 * Sign-up costs a PBKDF2: it is throttled per client IP in the database, reserved before
 * hashing, so a parallel burst hashes at most the limit.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../api/context'
import { makeApp } from './helpers'

const signUp = (t: Awaited<ReturnType<typeof makeApp>>, email: string, ip: string) =>
  t.call('POST', '/api/auth/sign-up', {
    body: { email, password: 'correct horse' },
    headers: { 'x-forwarded-for': ip },
  })

describe('sign-up throttle per client IP', () => {
  it('the limit-th + 1 sign-up from one address is 429 with Retry-After; other addresses pass; the window ends', async () => {
    const t = await makeApp({
      trustProxy: true,
      limits: { signUpsPerIp: 3, signUpWindowSeconds: 3600 },
    })
    for (let i = 0; i < 3; i++)
      expect((await signUp(t, `u${i}@example.com`, '203.0.113.5')).status).toBe(201)
    const refused = await signUp(t, 'u3@example.com', '203.0.113.5')
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS')
    expect(refused.headers.get('retry-after')).toBe('3600')
    // A taken email costs a hash too, so it counts; and the refused one created nothing.
    expect(
      (
        await t.client.execute(
          "select count(*) n from twofold_users where email = 'u3@example.com'",
        )
      ).rows[0]!.n,
    ).toBe(0)
    expect((await signUp(t, 'u3@example.com', '203.0.113.6')).status).toBe(201)
    t.advance(3601)
    expect((await signUp(t, 'u4@example.com', '203.0.113.5')).status).toBe(201)
  })

  it('20 parallel sign-ups from one address against a limit of 5: at most 5 hashed and stored', async () => {
    const t = await makeApp({ trustProxy: true, limits: { signUpsPerIp: 5 } })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signUp(t, `p${i}@example.com`, '2001:db8:7:7::1')),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(5)
    expect(results.filter((r) => r.status === 429)).toHaveLength(15)
    expect((await t.client.execute('select count(*) n from twofold_users')).rows[0]!.n).toBe(5)
    // IPv6 counts by /64: a neighbour in the same /64 is refused too.
    expect((await signUp(t, 'n@example.com', '2001:db8:7:7::2')).status).toBe(429)
  })

  it('taken emails count (each still costs a hash)', async () => {
    const t = await makeApp({ trustProxy: true, limits: { signUpsPerIp: 2 } })
    expect((await signUp(t, 'same@example.com', '198.51.100.1')).status).toBe(201)
    expect((await signUp(t, 'same@example.com', '198.51.100.1')).status).toBe(409)
    expect((await signUp(t, 'other@example.com', '198.51.100.1')).status).toBe(429)
  })

  it('has a documented default', () => {
    expect(DEFAULT_LIMITS.signUpsPerIp).toBe(50)
    expect(DEFAULT_LIMITS.signUpWindowSeconds).toBe(3600)
  })
})
