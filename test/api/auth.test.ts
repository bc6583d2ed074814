import { describe, expect, it } from 'vitest'
import { expectErrorShape, makeApp } from './helpers'

describe('accounts and sessions', () => {
  it('signs up (first account admin, then users), refuses a taken email with 409', async () => {
    const t = await makeApp()
    const first = await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'Ada@Example.com', password: 'password1', name: 'Ada' },
    })
    expect(first.status).toBe(201)
    expect(first.body.user).toEqual({
      id: expect.any(String),
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      twoFactorEnabled: false,
    })
    expect(first.body.session.token.length).toBeGreaterThanOrEqual(43) // 256 bits, base64url
    const second = await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'bob@example.com', password: 'password1' },
    })
    expect(second.body.user.role).toBe('user')
    const taken = await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'ADA@example.com', password: 'password2' },
    })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('EMAIL_TAKEN')
    const short = await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'c@example.com', password: 'short' },
    })
    expect(short.status).toBe(400)
    expect(short.body.error.issues[0].path).toEqual(['password'])
  })

  it('stores passwords as salted PBKDF2 and sessions only as hashes', async () => {
    const t = await makeApp()
    const { token } = await t.signUp('a@example.com', 'password1')
    const user = await t.client.execute('select password_hash from twofold_users')
    expect(String(user.rows[0]!.password_hash)).toMatch(/^pbkdf2-sha256\$100000\$/)
    const sessions = await t.client.execute('select token_hash from twofold_sessions')
    expect(sessions.rows[0]!.token_hash).not.toBe(token)
    expect(String(sessions.rows[0]!.token_hash)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('signs in without a second factor; unknown email and wrong password answer alike', async () => {
    const t = await makeApp()
    await t.signUp('a@example.com', 'password1')
    const ok = await t.call('POST', '/api/auth/sign-in', {
      body: { email: 'a@example.com', password: 'password1' },
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      status: 'authenticated',
      user: { email: 'a@example.com' },
      session: { token: expect.any(String) },
    })
    const wrong = await t.call('POST', '/api/auth/sign-in', {
      body: { email: 'a@example.com', password: 'nope-nope' },
    })
    const unknown = await t.call('POST', '/api/auth/sign-in', {
      body: { email: 'z@example.com', password: 'nope-nope' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS')
  })

  it('sets an HttpOnly SameSite=Lax cookie that works as a session, Secure on https', async () => {
    const t = await makeApp()
    await t.signUp('a@example.com', 'password1')
    const res = await t.call('POST', '/api/auth/sign-in', {
      body: { email: 'a@example.com', password: 'password1' },
    })
    const cookie = res.cookies.find((c) => c.startsWith('twofold_session='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).not.toMatch(/Secure/)
    const session = await t.call('GET', '/api/auth/session', {
      headers: { cookie: cookie.split(';')[0]! },
    })
    expect(session.status).toBe(200)
    expect(session.body.user.email).toBe('a@example.com')
    const https = await t.app.request('https://twofold.example/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com', password: 'password1' }),
    })
    // Contract (Conventions): on https the cookie is __Host- prefixed.
    expect(
      https.headers.getSetCookie().find((c) => c.startsWith('__Host-twofold_session=')),
    ).toMatch(/Secure/)
  })

  it('GET session needs a session (401); sign-out revokes it', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    expect((await t.call('GET', '/api/auth/session')).status).toBe(401)
    expect((await t.call('GET', '/api/auth/session', { token: 'forged' })).status).toBe(401)
    expect((await t.call('GET', '/api/auth/session', { token })).status).toBe(200)
    expect((await t.call('POST', '/api/auth/sign-out', { token })).status).toBe(204)
    const after = await t.call('GET', '/api/auth/session', { token })
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('UNAUTHORIZED')
  })

  it('sessions expire', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    t.advance(7 * 24 * 3600 + 1)
    expect((await t.call('GET', '/api/auth/session', { token })).status).toBe(401)
  })

  it('refuses cookie-authenticated unsafe requests from another origin (CSRF), allows same origin and Bearer', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const cookie = `twofold_session=${token}`
    const evil = await t.call('POST', '/api/two-factor/setup', {
      headers: { cookie, origin: 'https://evil.example' },
    })
    expect(evil.status).toBe(403)
    expect(evil.body.error.code).toBe('CSRF_FAILED')
    const crossSite = await t.call('POST', '/api/two-factor/setup', {
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    })
    expect(crossSite.status).toBe(403)
    const same = await t.call('POST', '/api/two-factor/setup', {
      headers: { cookie, origin: 'http://localhost' },
    })
    expect(same.status).toBe(200)
    const bearer = await t.call('POST', '/api/two-factor/setup', {
      token,
      headers: { origin: 'https://other.example' },
    })
    expect(bearer.status).toBe(200)
  })

  it('answers unknown routes, health and the OpenAPI document', async () => {
    const t = await makeApp()
    const missing = await t.call('GET', '/api/nothing-here')
    expect(missing.status).toBe(404)
    expectErrorShape(missing.body)
    expect((await t.call('GET', '/api/health')).body).toEqual({ ok: true })
    const doc = await t.call('GET', '/api/openapi.json')
    expect(doc.body.openapi).toBe('3.1.0')
    const docs = await t.app.request('/api/docs')
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('/api/openapi.json')
  })

  it('refuses, as a wrong password, a user who has none (a host user of embedded mode)', async () => {
    const t = await makeApp()
    const user = await t.signUp('host-user@example.com', 'correct horse')
    await t.client.execute({
      sql: 'UPDATE twofold_users SET password_hash = NULL WHERE email = ?',
      args: ['host-user@example.com'],
    })
    const body = { email: 'host-user@example.com', password: 'correct horse' }
    const signIn = await t.call('POST', '/api/auth/sign-in', { body })
    expect(signIn.status).toBe(401)
    expect(signIn.body.error.code).toBe('INVALID_CREDENTIALS')
    const change = await t.call('POST', '/api/auth/password', {
      token: user.token,
      body: { currentPassword: 'correct horse', newPassword: 'a new password' },
    })
    expect(change.status).toBe(401)
    expect(change.body.error.code).toBe('INVALID_CREDENTIALS')
  })
})
