import { beforeAll, describe, expect, it } from 'vitest'
import { expectErrorShape, makeApp, T0, type TestApp } from './helpers'

const DAY = 86_400_000
const zero = {
  enabled: 0,
  disabled: 0,
  failedAttempts: 0,
  lockouts: 0,
  backupCodesUsed: 0,
  emailCodesSent: 0,
}

/**
 * Four days of real traffic through the API, the clock moved between them (T0 is
 * 2026-11-23 12:00:05 UTC):
 * - Nov 20: a and b turn 2FA on.
 * - Nov 21: a fails one code, then signs in with a backup code; c turns 2FA on.
 * - Nov 22: b turns 2FA off with a backup code; a asks for an emailed code; c fails three codes and is locked.
 * - Nov 23: the admin resets a; d turns 2FA on.
 */
describe('GET /api/admin/stats/daily', () => {
  let t: TestApp
  let admin: string
  let user: string
  beforeAll(async () => {
    t = await makeApp({ limits: { twoFactorFailures: 3 } })
    t.clock.now = T0 - 3 * DAY
    admin = (await t.signUp('admin@example.com')).token
    const a = await t.signUp('a@example.com')
    const b = await t.signUp('b@example.com')
    const c = await t.signUp('c@example.com')
    const d = await t.signUp('d@example.com')
    user = d.token
    const ea = await t.enroll(a.token)
    const eb = await t.enroll(b.token)

    t.clock.now = T0 - 2 * DAY
    let challenge = await t.challenge(a.email)
    const wrong = { challengeToken: challenge, code: '000000' }
    expect((await t.call('POST', '/api/auth/sign-in/two-factor', { body: wrong })).status).toBe(401)
    const backup = { challengeToken: challenge, code: ea.backupCodes[0] }
    expect((await t.call('POST', '/api/auth/sign-in/two-factor', { body: backup })).status).toBe(
      200,
    )
    await t.enroll(c.token)

    t.clock.now = T0 - DAY
    const off = await t.call('POST', '/api/two-factor/disable', {
      token: b.token,
      body: { code: eb.backupCodes[1] },
    })
    expect(off.status).toBe(200)
    challenge = await t.challenge(a.email)
    const sent = await t.call('POST', '/api/auth/sign-in/two-factor/email', {
      body: { challengeToken: challenge },
    })
    expect(sent.status).toBe(202)
    challenge = await t.challenge(c.email)
    for (let i = 0; i < 3; i++) {
      await t.call('POST', '/api/auth/sign-in/two-factor', {
        body: { challengeToken: challenge, code: '000000' },
      })
    }

    t.clock.now = T0
    const reset = await t.call('POST', `/api/admin/users/${a.user.id}/two-factor/reset`, {
      token: admin,
      body: {},
    })
    expect(reset.status).toBe(200)
    await t.enroll(d.token)
    await t.settle()
  })

  it('counts each UTC day’s events, oldest first, and the users with 2FA at each day’s end', async () => {
    const res = await t.call('GET', '/api/admin/stats/daily?days=5', { token: admin })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      days: [
        { date: '2026-11-19', twoFactorUsers: 0, ...zero },
        { date: '2026-11-20', twoFactorUsers: 2, ...zero, enabled: 2 },
        {
          date: '2026-11-21',
          twoFactorUsers: 3,
          ...zero,
          enabled: 1,
          failedAttempts: 1,
          backupCodesUsed: 1,
        },
        {
          date: '2026-11-22',
          twoFactorUsers: 2,
          ...zero,
          disabled: 1,
          failedAttempts: 3,
          lockouts: 1,
          backupCodesUsed: 1,
          emailCodesSent: 1,
        },
        { date: '2026-11-23', twoFactorUsers: 2, ...zero, enabled: 1, disabled: 1 },
      ],
    })
    // The last day's figure is today's count.
    const stats = await t.call('GET', '/api/admin/stats', { token: admin })
    expect(stats.body.twoFactorUsers).toBe(2)
  })

  it('defaults to 30 days ending today, and takes 1 to 365', async () => {
    const month = await t.call('GET', '/api/admin/stats/daily', { token: admin })
    expect(month.body.days).toHaveLength(30)
    expect(month.body.days[0].date).toBe('2026-10-25')
    expect(month.body.days[29].date).toBe('2026-11-23')
    const today = await t.call('GET', '/api/admin/stats/daily?days=1', { token: admin })
    expect(today.body.days).toEqual([
      { date: '2026-11-23', twoFactorUsers: 2, ...zero, enabled: 1, disabled: 1 },
    ])
    const year = await t.call('GET', '/api/admin/stats/daily?days=365', { token: admin })
    expect(year.body.days).toHaveLength(365)
    expect(year.body.days[0]).toEqual({ date: '2025-11-24', twoFactorUsers: 0, ...zero })
  })

  it('puts an event on the UTC day it happened, to the millisecond', async () => {
    const midnight = Date.UTC(2026, 10, 23)
    const insert = (id: string, at: number) =>
      t.client.execute({
        sql: `INSERT INTO twofold_audit_events (id, user_id, actor_id, action, created_at) VALUES (?, NULL, NULL, 'backup_code_used', ?)`,
        args: [id, at],
      })
    await insert('evt_edge_before', midnight - 1)
    await insert('evt_edge_at', midnight)
    try {
      const res = await t.call('GET', '/api/admin/stats/daily?days=2', { token: admin })
      // b's backup code on Nov 22, then one event on each side of midnight.
      expect(res.body.days.map((d: any) => [d.date, d.backupCodesUsed])).toEqual([
        ['2026-11-22', 2],
        ['2026-11-23', 1],
      ])
    } finally {
      await t.client.execute(`DELETE FROM twofold_audit_events WHERE id LIKE 'evt_edge_%'`)
    }
  })

  it('refuses days outside 1..365 with VALIDATION_FAILED', async () => {
    for (const days of ['0', '366', '-1', '1.5', 'abc', '']) {
      const res = await t.call('GET', `/api/admin/stats/daily?days=${days}`, { token: admin })
      expect(res.status, `days=${days}`).toBe(400)
      expectErrorShape(res.body)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.issues[0].path).toEqual(['days'])
    }
  })

  it('is for admins only', async () => {
    expect((await t.call('GET', '/api/admin/stats/daily')).status).toBe(401)
    const forbidden = await t.call('GET', '/api/admin/stats/daily', { token: user })
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.code).toBe('FORBIDDEN')
  })

  it('is in the OpenAPI document with its bounds and the contract’s shape', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body
    const op = doc.paths['/api/admin/stats/daily'].get
    const days = op.parameters.find((p: any) => p.name === 'days')
    expect(days).toMatchObject({
      in: 'query',
      required: false,
      schema: { minimum: 1, maximum: 365, default: 30 },
    })
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DailyStats',
    )
    expect(op.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    )
    expect(doc.components.schemas.DailyStatsDay.required.sort()).toEqual([
      'backupCodesUsed',
      'date',
      'disabled',
      'emailCodesSent',
      'enabled',
      'failedAttempts',
      'lockouts',
      'twoFactorUsers',
    ])
  })
})
