/**
 * The request's edge: CSRF behind a TLS-terminating proxy and by how the request was really
 * authenticated, the session token never handed to a cookie-authenticated read, `__Host-`
 * cookies on https, and duplicated cookies.
 */
import { describe, expect, it } from 'vitest'
import { readEnv } from '../../api/env'
import { buildWorkerApp } from '../../api/worker'
import { generateServerSecret } from '../../api/lib/crypto'
import { makeApp, type TestApp } from './helpers'

const SECRET = generateServerSecret()

async function send(
  t: TestApp,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await t.app.request(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    cookies: res.headers.getSetCookie(),
  }
}

describe('CSRF behind a TLS-terminating proxy', () => {
  it('with trustProxy, the own origin comes from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    const t = await makeApp({ trustProxy: true })
    const { token } = await t.signUp()
    // The browser is on https://auth.example (so the cookie is __Host-); the proxy speaks http.
    const cookie = `__Host-twofold_session=${token}`
    const same = await send(t, 'http://auth.example/api/two-factor/setup', {
      method: 'POST',
      headers: { cookie, origin: 'https://auth.example', 'x-forwarded-proto': 'https' },
    })
    expect(same.status).toBe(200)
    const renamed = await send(t, 'http://app-internal:8787/api/two-factor/setup', {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://auth.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'auth.example',
      },
    })
    expect(renamed.status).toBe(200)
    const evil = await send(t, 'http://auth.example/api/two-factor/setup', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'x-forwarded-proto': 'https' },
    })
    expect(evil.status).toBe(403)
    expect(evil.body.error.code).toBe('CSRF_FAILED')
  })

  it('without trustProxy the forwarded headers are ignored', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const res = await send(t, 'http://app-internal:8787/api/two-factor/setup', {
      method: 'POST',
      headers: {
        cookie: `twofold_session=${token}`,
        origin: 'https://auth.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'auth.example',
      },
    })
    expect(res.status).toBe(403)
  })

  it('publicOrigin is the own origin, whatever the proxy forwards', async () => {
    const t = await makeApp({ publicOrigin: 'https://auth.example' })
    const { email } = await t.signUp()
    const ok = await send(t, 'http://app-internal:8787/api/auth/sign-in', {
      method: 'POST',
      headers: { origin: 'https://auth.example' },
      body: { email, password: 'correct horse' },
    })
    expect(ok.status).toBe(200)
    // The browser sees https: the cookie is Secure and __Host- prefixed.
    expect(ok.cookies.find((c) => c.startsWith('__Host-twofold_session='))).toMatch(/Secure/)
    const evil = await send(t, 'http://app-internal:8787/api/auth/sign-in', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: { email, password: 'correct horse' },
    })
    expect(evil.status).toBe(403)
  })

  it('TWOFOLD_PUBLIC_ORIGIN is read from the environment (Node) and the bindings (Worker)', () => {
    expect(readEnv({ TWOFOLD_PUBLIC_ORIGIN: 'https://auth.example' }).TWOFOLD_PUBLIC_ORIGIN).toBe(
      'https://auth.example',
    )
    expect(() => readEnv({ TWOFOLD_PUBLIC_ORIGIN: 'not a url' })).toThrow(/TWOFOLD_PUBLIC_ORIGIN/)
    const worker = buildWorkerApp({
      DB: {} as never,
      TWOFOLD_SECRET: SECRET,
      TWOFOLD_PUBLIC_ORIGIN: 'https://auth.example/',
    })
    expect(worker.deps.publicOrigin).toBe('https://auth.example')
  })
})

describe('CSRF is decided by how the request was authenticated', () => {
  it('a malformed Bearer header that falls back to the cookie is CSRF-checked', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const res = await t.call('POST', '/api/two-factor/setup', {
      headers: {
        cookie: `twofold_session=${token}`,
        authorization: 'Bearer a b',
        origin: 'https://evil.example',
      },
    })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('CSRF_FAILED')
  })

  it('an unknown Bearer token does not exempt a cross-site sign-in (login CSRF)', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    const res = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
      headers: { authorization: 'Bearer not-a-session', origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
  })

  it('a valid Bearer token from another origin still passes', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const res = await t.call('POST', '/api/two-factor/setup', {
      token,
      headers: { origin: 'https://other.example' },
    })
    expect(res.status).toBe(200)
  })
})

describe('the session token is never read back by a cookie-authenticated request', () => {
  it('GET /api/auth/session: no token with the cookie, the token with Bearer', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const byCookie = await t.call('GET', '/api/auth/session', {
      headers: { cookie: `twofold_session=${token}` },
    })
    expect(byCookie.status).toBe(200)
    expect(byCookie.body.session.expiresAt).toEqual(expect.any(String))
    expect(byCookie.body.session).not.toHaveProperty('token')
    expect(JSON.stringify(byCookie.body)).not.toContain(token)
    const byBearer = await t.call('GET', '/api/auth/session', { token })
    expect(byBearer.body.session.token).toBe(token)
  })
})

describe('cookies on https', () => {
  it('session cookie: __Host- prefixed, Secure, Path=/, no Domain; it works, the unprefixed name does not', async () => {
    const t = await makeApp()
    const { email } = await t.signUp()
    const res = await send(t, 'https://auth.example/api/auth/sign-in', {
      method: 'POST',
      body: { email, password: 'correct horse' },
    })
    const cookie = res.cookies.find((c) => c.startsWith('__Host-twofold_session='))!
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; Path=\/(;|$)/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).not.toMatch(/Domain=/i)
    expect(res.cookies.some((c) => c.startsWith('twofold_session='))).toBe(false)
    const pair = cookie.split(';')[0]!
    const value = pair.slice(pair.indexOf('=') + 1)
    expect(
      (await send(t, 'https://auth.example/api/auth/session', { headers: { cookie: pair } }))
        .status,
    ).toBe(200)
    // A cookie without the prefix can be planted from a sibling domain or over http: ignored.
    const planted = await send(t, 'https://auth.example/api/auth/session', {
      headers: { cookie: `twofold_session=${value}` },
    })
    expect(planted.status).toBe(401)
    const out = await send(t, 'https://auth.example/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie: pair },
    })
    expect(out.cookies.find((c) => c.startsWith('__Host-twofold_session='))).toMatch(
      /Max-Age=0.*Secure|Secure.*Max-Age=0/,
    )
  })

  it('trusted-device cookie: __Host- prefixed on https and used from there', async () => {
    const t = await makeApp()
    const { email, token } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(30)
    const challenge = await send(t, 'https://auth.example/api/auth/sign-in', {
      method: 'POST',
      body: { email, password: 'correct horse' },
    })
    const passed = await send(t, 'https://auth.example/api/auth/sign-in/two-factor', {
      method: 'POST',
      body: {
        challengeToken: challenge.body.challenge.token,
        code: await t.code(secret),
        rememberDevice: true,
      },
    })
    const device = passed.cookies.find((c) => c.startsWith('__Host-twofold_device='))!
    expect(device).toMatch(/; Secure/)
    expect(device).toMatch(/; Path=\/(;|$)/)
    expect(device).not.toMatch(/Domain=/i)
    const pair = device.split(';')[0]!
    const skipped = await send(t, 'https://auth.example/api/auth/sign-in', {
      method: 'POST',
      body: { email, password: 'correct horse' },
      headers: { cookie: pair },
    })
    expect(skipped.body.status).toBe('authenticated')
  })
})

describe('a duplicated cookie never lets a planted one win', () => {
  it('two session cookies of the same name: neither is used, in either order', async () => {
    const t = await makeApp()
    const victim = await t.signUp('victim@example.com')
    const attacker = await t.signUp('attacker@example.com')
    for (const cookie of [
      `twofold_session=${attacker.token}; twofold_session=${victim.token}`,
      `twofold_session=${victim.token}; twofold_session=${attacker.token}`,
    ]) {
      const res = await t.call('GET', '/api/auth/session', { headers: { cookie } })
      expect(res.status).toBe(401)
    }
    // On https the __Host- cookie is the only one read; an unprefixed planted one is ignored.
    const [hostPair] = (
      await send(t, 'https://auth.example/api/auth/sign-in', {
        method: 'POST',
        body: { email: 'victim@example.com', password: 'correct horse' },
      })
    ).cookies.map((c) => c.split(';')[0]!)
    const mixed = await send(t, 'https://auth.example/api/auth/session', {
      headers: { cookie: `twofold_session=${attacker.token}; ${hostPair}` },
    })
    expect(mixed.status).toBe(200)
    expect(mixed.body.user.email).toBe('victim@example.com')
  })

  it('two trusted-device cookies: the challenge is not skipped', async () => {
    const t = await makeApp()
    const { email, token } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(30)
    const passed = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: {
        challengeToken: await t.challenge(email),
        code: await t.code(secret),
        rememberDevice: true,
      },
    })
    const pair = passed.cookies.find((c) => c.startsWith('twofold_device='))!.split(';')[0]!
    for (const cookie of [`twofold_device=planted; ${pair}`, `${pair}; twofold_device=planted`]) {
      const res = await t.call('POST', '/api/auth/sign-in', {
        body: { email, password: 'correct horse' },
        headers: { cookie },
      })
      expect(res.body.status).toBe('two_factor_required')
    }
  })
})
