import { beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from './helpers'

const ADMIN_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/api/admin/users'],
  ['PATCH', '/api/admin/users/ID', { role: 'admin' }],
  ['POST', '/api/admin/users/ID/two-factor/reset', { reason: 'x' }],
  ['POST', '/api/admin/users/ID/unlock'],
  ['GET', '/api/admin/policy'],
  ['PUT', '/api/admin/policy', { enforce: 'all', gracePeriodDays: 0 }],
  ['GET', '/api/admin/stats'],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/outbox'],
]

describe('admin authorization', () => {
  it('every admin route: 401 without a session, 403 FORBIDDEN for users', async () => {
    const t = await makeApp()
    await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    for (const [method, path, body] of ADMIN_ROUTES) {
      const url = path.replace('ID', user.user.id)
      const anonymous = await t.call(method, url, { body })
      expect(anonymous.status, `${method} ${path}`).toBe(401)
      const forbidden = await t.call(method, url, { body, token: user.token })
      expect(forbidden.status, `${method} ${path}`).toBe(403)
      expect(forbidden.body.error.code).toBe('FORBIDDEN')
    }
    // Nothing changed: the user is still a user and the policy is still off.
    const policy = await t.call('GET', '/api/auth/session', { token: user.token })
    expect(policy.body.user.role).toBe('user')
  })
})

describe('users listing', () => {
  let t: TestApp
  let admin: string
  beforeAll(async () => {
    t = await makeApp()
    admin = (await t.signUp('admin@example.com')).token
    for (let i = 0; i < 30; i++) {
      t.advance(1) // distinct creation times: the listing is newest first
      const { token } = await t.signUp(`member${String(i).padStart(2, '0')}@example.com`)
      if (i % 3 === 0) await t.enroll(token)
      t.advance(1)
    }
  })

  it('pages newest first with totals; page size bounds', async () => {
    const page1 = await t.call('GET', '/api/admin/users?pageSize=10', { token: admin })
    expect(page1.body).toMatchObject({ total: 31, page: 1, pageSize: 10 })
    expect(page1.body.users).toHaveLength(10)
    expect(page1.body.users[0].email).toBe('member29@example.com')
    const page4 = await t.call('GET', '/api/admin/users?pageSize=10&page=4', { token: admin })
    expect(page4.body.users.map((u: any) => u.email)).toEqual(['admin@example.com'])
    const beyond = await t.call('GET', '/api/admin/users?pageSize=10&page=9', { token: admin })
    expect(beyond.body.users).toEqual([])
    expect((await t.call('GET', '/api/admin/users', { token: admin })).body.pageSize).toBe(25)
    expect(
      (await t.call('GET', '/api/admin/users?pageSize=100', { token: admin })).body.users,
    ).toHaveLength(31)
    expect((await t.call('GET', '/api/admin/users?pageSize=101', { token: admin })).status).toBe(
      400,
    )
  })

  it('searches email and name, filters by 2FA and role, and shows each user’s state', async () => {
    const search = await t.call('GET', '/api/admin/users?q=MEMBER1', { token: admin })
    expect(search.body.total).toBe(10)
    const literal = await t.call('GET', '/api/admin/users?q=%25', { token: admin })
    expect(literal.body.total).toBe(0) // % is matched literally, not as a wildcard
    const enabled = await t.call('GET', '/api/admin/users?twoFactor=enabled&pageSize=100', {
      token: admin,
    })
    expect(enabled.body.total).toBe(10)
    expect(enabled.body.users[0]).toEqual({
      id: expect.any(String),
      email: 'member27@example.com',
      name: null,
      role: 'user',
      twoFactorEnabled: true,
      twoFactorEnabledAt: expect.any(String),
      // The contract added the count of confirmed authenticators by type (issue 15).
      authenticators: { totp: 1, passkey: 0 },
      backupCodesRemaining: 10,
      lastSignInAt: expect.any(String),
      lockedUntil: null,
    })
    expect(
      (await t.call('GET', '/api/admin/users?twoFactor=disabled', { token: admin })).body.total,
    ).toBe(21)
    const admins = await t.call('GET', '/api/admin/users?role=admin', { token: admin })
    expect(admins.body.users.map((u: any) => u.email)).toEqual(['admin@example.com'])
  })
})

describe('admin actions', () => {
  it('changes roles (audited), refuses demoting the last admin', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    const promoted = await t.call('PATCH', `/api/admin/users/${user.user.id}`, {
      token: admin.token,
      body: { role: 'admin' },
    })
    expect(promoted.body).toMatchObject({ id: user.user.id, role: 'admin' })
    expect((await t.call('GET', '/api/admin/stats', { token: user.token })).status).toBe(200)
    t.advance(1) // the audit log is newest first
    await t.call('PATCH', `/api/admin/users/${user.user.id}`, {
      token: admin.token,
      body: { role: 'user' },
    })
    const last = await t.call('PATCH', `/api/admin/users/${admin.user.id}`, {
      token: admin.token,
      body: { role: 'user' },
    })
    expect(last.status).toBe(409)
    expect(
      (
        await t.call('PATCH', '/api/admin/users/usr_missing', {
          token: admin.token,
          body: { role: 'user' },
        })
      ).status,
    ).toBe(404)
    const audit = await t.call('GET', '/api/admin/audit?action=admin_role_changed', {
      token: admin.token,
    })
    expect(audit.body.events.map((e: any) => e.metadata)).toEqual([
      { from: 'admin', to: 'user' },
      { from: 'user', to: 'admin' },
    ])
  })

  it('reset removes factor, codes, devices and sessions; refused on oneself; the next sign-in needs no code', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    await t.enroll(user.token)
    const self = await t.call('POST', `/api/admin/users/${admin.user.id}/two-factor/reset`, {
      token: admin.token,
      body: {},
    })
    expect(self.status).toBe(400)
    expect(self.body.error.code).toBe('CANNOT_RESET_SELF')
    const reset = await t.call('POST', `/api/admin/users/${user.user.id}/two-factor/reset`, {
      token: admin.token,
      body: { reason: 'lost phone' },
    })
    expect(reset.status).toBe(200)
    expect(reset.body.user).toMatchObject({ id: user.user.id, twoFactorEnabled: false })
    expect((await t.call('GET', '/api/auth/session', { token: user.token })).status).toBe(401)
    const counts = await t.client.execute(
      `select (select count(*) from twofold_authenticators) f, (select count(*) from twofold_backup_codes) b, (select count(*) from twofold_sessions where user_id = '${user.user.id}') s`,
    )
    expect(counts.rows[0]).toMatchObject({ f: 0, b: 0, s: 0 })
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email: user.email, password: 'correct horse' },
    })
    expect(signIn.body.status).toBe('authenticated')
    const [event] = (
      await t.call('GET', `/api/admin/audit?action=admin_two_factor_reset`, { token: admin.token })
    ).body.events
    expect(event).toMatchObject({
      userId: user.user.id,
      actorId: admin.user.id,
      metadata: { reason: 'lost phone' },
    })
  })
})

describe('enforcement policy', () => {
  it('grace period: sign-in reports the deadline; after it the session is fenced until enrollment', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    const put = await t.call('PUT', '/api/admin/policy', {
      token: admin.token,
      body: { enforce: 'all', gracePeriodDays: 2 },
    })
    expect(put.body).toEqual({ enforce: 'all', gracePeriodDays: 2, emailFallback: true })
    const deadline = new Date(t.clock.now + 2 * 86_400_000).toISOString()
    const during = await t.call('POST', '/api/auth/sign-in', {
      body: { email: user.email, password: 'correct horse' },
    })
    expect(during.body).toMatchObject({
      status: 'authenticated',
      twoFactorSetupRequired: true,
      setupDeadline: deadline,
    })
    const status = await t.call('GET', '/api/two-factor', { token: user.token })
    expect(status.body).toMatchObject({ required: true, setupDeadline: deadline })

    t.advance(2 * 86_400 + 1)
    const fenced = await t.call('GET', '/api/two-factor/backup-codes', { token: user.token })
    expect(fenced.status).toBe(403)
    expect(fenced.body.error.code).toBe('TWO_FACTOR_SETUP_REQUIRED')
    expect((await t.call('GET', '/api/auth/session', { token: user.token })).status).toBe(200)
    const { secret } = await t.enroll(user.token)
    expect(secret).toBeTruthy()
    expect(
      (await t.call('GET', '/api/two-factor/backup-codes', { token: user.token })).status,
    ).toBe(200)
  })

  it('admins only: users are not asked; the grace counts from the role change', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    await t.call('PUT', '/api/admin/policy', {
      token: admin.token,
      body: { enforce: 'admins', gracePeriodDays: 3 },
    })
    const asUser = await t.call('POST', '/api/auth/sign-in', {
      body: { email: user.email, password: 'correct horse' },
    })
    expect(asUser.body.twoFactorSetupRequired).toBeUndefined()
    t.advance(86_400)
    await t.call('PATCH', `/api/admin/users/${user.user.id}`, {
      token: admin.token,
      body: { role: 'admin' },
    })
    const promoted = await t.call('POST', '/api/auth/sign-in', {
      body: { email: user.email, password: 'correct horse' },
    })
    expect(promoted.body.setupDeadline).toBe(new Date(t.clock.now + 3 * 86_400_000).toISOString())
    expect(
      (
        await t.call('PUT', '/api/admin/policy', {
          token: admin.token,
          body: { enforce: 'all', gracePeriodDays: 91 },
        })
      ).status,
    ).toBe(400)
  })
})

describe('stats', () => {
  it('equal what happened', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const a = await t.signUp('a@example.com')
    const b = await t.signUp('b@example.com')
    await t.signUp('c@example.com')
    const ea = await t.enroll(a.token)
    const eb = await t.enroll(b.token)
    await t.call('POST', '/api/two-factor/disable', {
      token: b.token,
      body: { code: eb.backupCodes[0] },
    })
    // b's disable used a backup code; a: one wrong code, then a backup code.
    const challenge = await t.challenge(a.email)
    await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: challenge, code: '000000' },
    })
    await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: challenge, code: ea.backupCodes[0] },
    })
    const stats = await t.call('GET', '/api/admin/stats', { token: admin.token })
    expect(stats.body).toEqual({
      totalUsers: 4,
      twoFactorUsers: 1,
      adoptionRate: 0.25,
      last30Days: { enabled: 2, disabled: 1, failedAttempts: 1, lockouts: 0, backupCodesUsed: 2 },
    })
  })
})
