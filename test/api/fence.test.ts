/**
 * The forced-setup fence (policy "everyone", no grace left): the session may still read its own
 * status and enroll (an app through /setup, or a passkey), and nothing else.
 */
import { describe, expect, it } from 'vitest'
import { requireSession } from '../../api/middleware/session'
import { makeApp } from './helpers'

/** A route behind requireSession that answers when the fence lets the request through. */
const probe = (c: { json: (body: unknown) => Response }) => c.json({ reached: true })
const PROBED = ['/api/two-factor/passkeys-x', '/api/two-factor/setupx', '/api/two-factor']

async function fencedUser() {
  const t = await makeApp()
  // Look-alike paths: probe the fence with routes of our own (Hono builds its router on the
  // first request, so they go in first).
  for (const path of PROBED) t.app.post(path, requireSession(), probe)
  const admin = await t.signUp('admin@example.com')
  const put = await t.call('PUT', '/api/admin/policy', {
    token: admin.token,
    body: { enforce: 'all', gracePeriodDays: 0 },
  })
  expect(put.status).toBe(200)
  t.advance(1)
  const user = await t.signUp('new@example.com')
  t.advance(1) // 0 days of grace: the deadline is the sign-up itself
  return { t, admin, user }
}

describe('a session fenced by the policy', () => {
  it('signs in told to set up now, and reads GET /api/two-factor (required, deadline passed)', async () => {
    const { t, user } = await fencedUser()
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email: user.email, password: user.password },
    })
    expect(signIn.body).toMatchObject({ status: 'authenticated', twoFactorSetupRequired: true })
    expect(Date.parse(signIn.body.setupDeadline)).toBeLessThan(t.clock.now)

    const status = await t.call('GET', '/api/two-factor', { token: user.token })
    expect(status.status).toBe(200)
    expect(status.body).toMatchObject({ enabled: false, pending: false, required: true })
    expect(Date.parse(status.body.setupDeadline)).toBeLessThan(t.clock.now)

    // Everything else of one's own factor, and the admin routes, stay fenced until enrollment.
    for (const [method, path] of [
      ['GET', '/api/two-factor/backup-codes'],
      ['GET', '/api/two-factor/events'],
      ['GET', '/api/two-factor/trusted-devices'],
    ] as const) {
      const fenced = await t.call(method, path, { token: user.token })
      expect([path, fenced.status, fenced.body?.error?.code ?? fenced.body]).toEqual([
        path,
        403,
        'TWO_FACTOR_SETUP_REQUIRED',
      ])
    }

    // The status read is the way out: setup, confirm, and then every route opens.
    await t.enroll(user.token)
    const after = await t.call('GET', '/api/two-factor', { token: user.token })
    expect(after.body).toMatchObject({ enabled: true, required: true })
    expect((await t.call('GET', '/api/two-factor/events', { token: user.token })).status).toBe(200)
  })

  it('lets /api/two-factor/passkeys* through; look-alike paths and POST /api/two-factor stay fenced', async () => {
    const { t, user } = await fencedUser()
    // The passkey routes themselves answer: options, and the body check of a registration.
    const options = await t.call('POST', '/api/two-factor/passkeys/options', { token: user.token })
    expect(options.status).toBe(200)
    expect(options.body.options.challenge).toEqual(expect.any(String))
    const register = await t.call('POST', '/api/two-factor/passkeys', {
      token: user.token,
      body: {},
    })
    expect([register.status, register.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const lookAlikes = ['/api/two-factor/passkeys-x', '/api/two-factor/setupx', '/api/two-factor']
    for (const path of lookAlikes) {
      const fenced = await t.call('POST', path, { token: user.token, body: {} })
      expect([path, fenced.status, fenced.body?.error?.code ?? fenced.body]).toEqual([
        path,
        403,
        'TWO_FACTOR_SETUP_REQUIRED',
      ])
    }
  })
})
