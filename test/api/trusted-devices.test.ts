import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

type T = Awaited<ReturnType<typeof makeApp>>
const deviceCookie = (cookies: string[]) => cookies.find((c) => c.startsWith('twofold_device='))

/** Signs in with TOTP ticking "remember this device"; returns the device cookie pair. */
async function remember(t: T, email: string, secret: string) {
  t.advance(30)
  const res = await t.call('POST', '/api/auth/sign-in/two-factor', {
    body: {
      challengeToken: await t.challenge(email),
      code: await t.code(secret),
      rememberDevice: true,
    },
    headers: { 'user-agent': CHROME_MAC },
  })
  expect(res.status).toBe(200)
  const cookie = deviceCookie(res.cookies)!
  return { cookie, pair: cookie.split(';')[0]!, session: res.body.session.token as string }
}

const signIn = (t: T, email: string, cookie?: string) =>
  t.call('POST', '/api/auth/sign-in', {
    body: { email, password: 'correct horse' },
    headers: { 'user-agent': CHROME_MAC, ...(cookie ? { cookie } : {}) },
  })

async function enrolled(t: T, email?: string) {
  const { token, email: e, user } = await t.signUp(email)
  const { secret, backupCodes } = await t.enroll(token)
  return { token, email: e, user, secret, backupCodes }
}

describe('trusted devices', () => {
  it('sets a 30-day HttpOnly SameSite=Lax cookie, stored hashed, labelled from the user agent', async () => {
    const t = await makeApp()
    const { email, secret, token } = await enrolled(t)
    const { cookie, pair } = await remember(t, email, secret)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    const expires = new Date(cookie.match(/Expires=([^;]+)/)![1]!).getTime()
    expect(Math.round((expires - t.clock.now) / 86_400_000)).toBe(30)
    const rows = await t.client.execute('select token_hash, label from twofold_trusted_devices')
    expect(rows.rows[0]!.token_hash).not.toBe(pair.split('=')[1])
    expect(rows.rows[0]!.label).toBe('Chrome on macOS')
    const list = await t.call('GET', '/api/two-factor/trusted-devices', {
      token,
      headers: { cookie: pair },
    })
    expect(list.body.devices).toEqual([
      {
        id: expect.any(String),
        label: 'Chrome on macOS',
        userAgent: CHROME_MAC,
        createdAt: new Date(t.clock.now).toISOString(),
        lastUsedAt: new Date(t.clock.now).toISOString(),
        expiresAt: new Date(t.clock.now + 30 * 86_400_000).toISOString(),
        current: true,
      },
    ])
  })

  it('a valid cookie skips the challenge and rotates the token; the old token then fails', async () => {
    const t = await makeApp()
    const { email, secret } = await enrolled(t)
    const { pair } = await remember(t, email, secret)
    const skipped = await signIn(t, email, pair)
    expect(skipped.body.status).toBe('authenticated')
    const rotated = deviceCookie(skipped.cookies)!.split(';')[0]!
    expect(rotated).not.toBe(pair)
    expect((await signIn(t, email, pair)).body.status).toBe('two_factor_required')
    expect((await signIn(t, email, rotated)).body.status).toBe('authenticated')
  })

  it('ignores forged, expired and other users’ cookies', async () => {
    const t = await makeApp()
    const a = await enrolled(t, 'a@example.com')
    const b = await enrolled(t, 'b@example.com')
    const { pair } = await remember(t, a.email, a.secret)
    expect((await signIn(t, b.email, pair)).body.status).toBe('two_factor_required')
    expect((await signIn(t, a.email, 'twofold_device=forged-token')).body.status).toBe(
      'two_factor_required',
    )
    t.advance(30 * 86_400 + 1)
    expect((await signIn(t, a.email, pair)).body.status).toBe('two_factor_required')
  })

  it('revoke one and revoke all', async () => {
    const t = await makeApp()
    const { email, secret, token } = await enrolled(t)
    const first = await remember(t, email, secret)
    const second = await remember(t, email, secret)
    const list = await t.call('GET', '/api/two-factor/trusted-devices', { token })
    expect(list.body.devices).toHaveLength(2)
    const target =
      list.body.devices.find(
        (d: any) => d.lastUsedAt === new Date(t.clock.now - 30_000).toISOString(),
      ) ?? list.body.devices[1]
    expect(
      (await t.call('DELETE', `/api/two-factor/trusted-devices/${target.id}`, { token })).status,
    ).toBe(204)
    expect(
      (await t.call('DELETE', `/api/two-factor/trusted-devices/${target.id}`, { token })).status,
    ).toBe(404)
    expect(
      (await t.call('GET', '/api/two-factor/trusted-devices', { token })).body.devices,
    ).toHaveLength(1)
    expect((await t.call('DELETE', '/api/two-factor/trusted-devices', { token })).status).toBe(204)
    expect((await signIn(t, email, first.pair)).body.status).toBe('two_factor_required')
    expect((await signIn(t, email, second.pair)).body.status).toBe('two_factor_required')
  })

  it('one user cannot revoke another’s device', async () => {
    const t = await makeApp()
    const a = await enrolled(t, 'a@example.com')
    const b = await enrolled(t, 'b@example.com')
    await remember(t, a.email, a.secret)
    const [device] = (await t.call('GET', '/api/two-factor/trusted-devices', { token: a.token }))
      .body.devices
    expect(
      (await t.call('DELETE', `/api/two-factor/trusted-devices/${device.id}`, { token: b.token }))
        .status,
    ).toBe(404)
    expect(
      (await t.call('GET', '/api/two-factor/trusted-devices', { token: a.token })).body.devices,
    ).toHaveLength(1)
  })

  it('disabling 2FA, an admin reset and a password change revoke all devices', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const u = await enrolled(t, 'user@example.com')
    await remember(t, u.email, u.secret)
    await t.call('POST', '/api/two-factor/disable', {
      token: u.token,
      body: { code: u.backupCodes[0] },
    })
    expect(
      (await t.client.execute('select count(*) n from twofold_trusted_devices')).rows[0]!.n,
    ).toBe(0)

    const again = await t.call('POST', '/api/auth/sign-in', {
      body: { email: u.email, password: 'correct horse' },
    })
    const { secret } = await t.enroll(again.body.session.token)
    await remember(t, u.email, secret)
    await t.call('POST', `/api/admin/users/${u.user.id}/two-factor/reset`, {
      token: admin.token,
      body: { reason: 'lost phone' },
    })
    expect(
      (await t.client.execute('select count(*) n from twofold_trusted_devices')).rows[0]!.n,
    ).toBe(0)

    const third = await t.call('POST', '/api/auth/sign-in', {
      body: { email: u.email, password: 'correct horse' },
    })
    const enrolledAgain = await t.enroll(third.body.session.token)
    await remember(t, u.email, enrolledAgain.secret)
    const change = await t.call('POST', '/api/auth/password', {
      token: third.body.session.token,
      body: { currentPassword: 'correct horse', newPassword: 'battery staple' },
    })
    expect(change.status).toBe(204)
    expect(
      (await t.client.execute('select count(*) n from twofold_trusted_devices')).rows[0]!.n,
    ).toBe(0)
  })
})
