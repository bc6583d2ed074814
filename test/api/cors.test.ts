import { describe, expect, it } from 'vitest'
import { expectErrorShape, makeApp } from './helpers'

const APP = 'https://app.example.com'
const OTHER = 'https://evil.example'

const corsHeaders = (headers: Headers) =>
  [...headers.keys()].filter((name) => name.startsWith('access-control-'))

function preflight(
  t: Awaited<ReturnType<typeof makeApp>>,
  origin: string,
  path = '/api/auth/sign-in',
) {
  return t.call('OPTIONS', path, {
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  })
}

describe('CORS for TWOFOLD_TRUSTED_ORIGINS', () => {
  it('answers a trusted origin’s preflight: its origin, credentials, methods and headers', async () => {
    const t = await makeApp({ trustedOrigins: [APP] })
    const res = await preflight(t, APP)
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    )
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    )
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(res.headers.get('vary')).toMatch(/Origin/)
  })

  it('gives other origins no CORS header at all, preflight or not', async () => {
    const t = await makeApp({ trustedOrigins: [APP] })
    for (const origin of [OTHER, `${APP}.evil.example`, 'https://example.com', 'null']) {
      const pre = await preflight(t, origin)
      expect(corsHeaders(pre.headers)).toEqual([])
      const health = await t.call('GET', '/api/health', { headers: { origin } })
      expect(health.status).toBe(200)
      expect(corsHeaders(health.headers)).toEqual([])
      expect(health.headers.get('vary')).toMatch(/Origin/)
      // Error answers (built as plain Responses) say so too.
      const missing = await t.call('GET', '/api/nowhere', { headers: { origin } })
      expect(missing.status).toBe(404)
      expect(missing.headers.get('vary')).toMatch(/Origin/)
    }
    // Without trusted origins, nobody gets CORS, the app's own origin included.
    const none = await makeApp()
    expect(corsHeaders((await preflight(none, APP)).headers)).toEqual([])
  })

  it('lets a trusted origin sign in and read the token, then use it as Bearer', async () => {
    const t = await makeApp({ trustedOrigins: [APP] })
    const { email, password } = await t.signUp()
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password },
      headers: { origin: APP },
    })
    expect(signIn.status).toBe(200)
    expect(signIn.body.status).toBe('authenticated')
    expect(signIn.headers.get('access-control-allow-origin')).toBe(APP)
    expect(signIn.headers.get('access-control-allow-credentials')).toBe('true')
    expect(signIn.headers.get('access-control-expose-headers')).toMatch(/Retry-After/i)
    const session = await t.call('GET', '/api/auth/session', {
      token: signIn.body.session.token,
      headers: { origin: APP },
    })
    expect(session.status).toBe(200)
    expect(session.body.user.email).toBe(email)
    expect(session.headers.get('access-control-allow-origin')).toBe(APP)
  })

  it('sends refusals to a trusted origin with CORS headers, so the page can read the error shape', async () => {
    const t = await makeApp({ trustedOrigins: [APP] })
    const { email } = await t.signUp()
    const wrong = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'not the password' },
      headers: { origin: APP },
    })
    expect(wrong.status).toBe(401)
    expectErrorShape(wrong.body)
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS')
    expect(wrong.headers.get('access-control-allow-origin')).toBe(APP)
    expect(wrong.headers.get('access-control-allow-credentials')).toBe('true')

    const anonymous = await t.call('GET', '/api/two-factor', { headers: { origin: APP } })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED')
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(APP)

    const invalid = await t.call('POST', '/api/auth/sign-in', {
      raw: '{',
      headers: { origin: APP },
    })
    expect(invalid.status).toBe(400)
    expectErrorShape(invalid.body)
    expect(invalid.headers.get('access-control-allow-origin')).toBe(APP)

    const big = await t.call('POST', '/api/auth/sign-in', {
      raw: JSON.stringify({ email, password: 'x'.repeat(20_000) }),
      headers: { origin: APP },
    })
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(big.headers.get('access-control-allow-origin')).toBe(APP)

    const missing = await t.call('GET', '/api/nothing-here', { headers: { origin: APP } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(APP)
  })

  it('refuses another origin’s sign-in (CSRF) without CORS headers, so its page reads nothing', async () => {
    const t = await makeApp({ trustedOrigins: [APP] })
    const { email, password } = await t.signUp()
    const res = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password },
      headers: { origin: OTHER },
    })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('CSRF_FAILED')
    expect(res.cookies).toEqual([])
    expect(corsHeaders(res.headers)).toEqual([])
  })
})
