import { describe, expect, it, vi } from 'vitest'
import { AUDIT_ACTIONS } from '../../api/lib/audit'
import { httpMailer } from '../../api/lib/mailer'
import { makeApp } from './helpers'

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
const IP = '192.0.2.44'

describe('audit log and notifications', () => {
  it('records every action with user, actor, IP, user agent and time; no code, secret or token leaks', async () => {
    const t = await makeApp({ trustProxy: true })
    const headers = { 'user-agent': UA, 'x-forwarded-for': IP }
    const call = (method: string, path: string, init: { body?: unknown; token?: string } = {}) =>
      t.call(method, path, { ...init, headers })
    const secrets: string[] = []
    const signUp = async (email: string) => {
      const res = await call('POST', '/api/auth/sign-up', {
        body: { email, password: 'correct horse' },
      })
      secrets.push(res.body.session.token)
      return { token: res.body.session.token as string, id: res.body.user.id as string }
    }
    const challenge = async (email: string) => {
      const res = await call('POST', '/api/auth/sign-in', {
        body: { email, password: 'correct horse' },
      })
      secrets.push(res.body.challenge.token)
      return res.body.challenge.token as string
    }
    const admin = await signUp('admin@example.com')
    const user = await signUp('user@example.com')

    const setup = await call('POST', '/api/two-factor/setup', { token: user.token })
    const secret = setup.body.secret as string
    const enrollCode = await t.code(secret)
    const enabled = await call('POST', '/api/two-factor/setup/verify', {
      token: user.token,
      body: { code: enrollCode },
    })
    const backupCodes = enabled.body.backupCodes as string[]
    secrets.push(secret, setup.body.manualEntryKey, ...backupCodes)

    await call('POST', '/api/auth/sign-in', {
      body: { email: 'user@example.com', password: 'wrong password' },
    })
    t.advance(30)
    const totp = await t.code(secret)
    const passed = await call('POST', '/api/auth/sign-in/two-factor', {
      body: {
        challengeToken: await challenge('user@example.com'),
        code: totp,
        rememberDevice: true,
      },
    })
    secrets.push(passed.body.session.token)
    await call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await challenge('user@example.com'), code: backupCodes[0] },
    })
    await call('POST', '/api/auth/sign-in/two-factor/email', {
      body: { challengeToken: await challenge('user@example.com') },
    })
    t.advance(30)
    const regen = await call('POST', '/api/two-factor/backup-codes', {
      token: user.token,
      body: { code: await t.code(secret) },
    })
    secrets.push(...regen.body.backupCodes)
    await call('DELETE', '/api/two-factor/trusted-devices', { token: user.token })
    for (let c = 0; c < 2; c++) {
      const token = await challenge('user@example.com')
      for (let i = 0; i < 5; i++)
        await call('POST', '/api/auth/sign-in/two-factor', {
          body: { challengeToken: token, code: '000000' },
        })
    }
    await call('POST', `/api/admin/users/${user.id}/unlock`, { token: admin.token })
    await call('PATCH', `/api/admin/users/${user.id}`, {
      token: admin.token,
      body: { role: 'admin' },
    })
    await call('PATCH', `/api/admin/users/${user.id}`, {
      token: admin.token,
      body: { role: 'user' },
    })
    await call('PUT', '/api/admin/policy', {
      token: admin.token,
      body: { enforce: 'admins', gracePeriodDays: 14 },
    })
    await call('POST', `/api/admin/users/${user.id}/two-factor/reset`, {
      token: admin.token,
      body: { reason: 'new phone' },
    })
    const again = await call('POST', '/api/auth/sign-in', {
      body: { email: 'user@example.com', password: 'correct horse' },
    })
    secrets.push(again.body.session.token)
    const setup2 = await call('POST', '/api/two-factor/setup', { token: again.body.session.token })
    const second = { secret: setup2.body.secret as string }
    const verify2 = await call('POST', '/api/two-factor/setup/verify', {
      token: again.body.session.token,
      body: { code: await t.code(second.secret) },
    })
    secrets.push(second.secret, ...verify2.body.backupCodes)
    // Authenticators (issue 15): add, confirm, rename, step up, remove.
    const token2 = again.body.session.token
    const app = await call('POST', '/api/two-factor/authenticators', {
      token: token2,
      body: { type: 'totp', name: 'Tablet' },
    })
    secrets.push(app.body.secret, app.body.manualEntryKey)
    await call('POST', `/api/two-factor/authenticators/${app.body.id}/verify`, {
      token: token2,
      body: { code: await t.code(app.body.secret) },
    })
    await call('PATCH', `/api/two-factor/authenticators/${app.body.id}`, {
      token: token2,
      body: { name: 'Old tablet' },
    })
    t.advance(30)
    await call('POST', '/api/two-factor/step-up', {
      token: token2,
      body: { code: await t.code(app.body.secret) },
    })
    await call('DELETE', `/api/two-factor/authenticators/${app.body.id}`, { token: token2 })
    t.advance(30)
    await call('POST', '/api/two-factor/disable', {
      token: again.body.session.token,
      body: { code: await t.code(second.secret) },
    })
    await t.settle()

    const events = (await t.client.execute('select * from twofold_audit_events')).rows
    for (const action of AUDIT_ACTIONS.filter((a) => a !== 'password_changed')) {
      expect(
        events.some((e) => e.action === action),
        `no ${action} event`,
      ).toBe(true)
    }
    for (const e of events.filter((e) => e.action !== 'policy_changed')) {
      expect(e.user_id, String(e.action)).toBeTruthy()
    }
    for (const e of events) {
      expect(e.ip).toBe(IP)
      expect(e.user_agent).toBe(UA)
      expect(Number(e.created_at)).toBeGreaterThan(0)
    }
    const reset = events.find((e) => e.action === 'admin_two_factor_reset')!
    expect(reset).toMatchObject({ user_id: user.id, actor_id: admin.id })
    expect(JSON.parse(String(reset.metadata))).toEqual({ reason: 'new phone' })

    // Own events, newest first, for the user only.
    const own = await call('GET', '/api/two-factor/events', { token: again.body.session.token })
    expect(own.body.events[0].action).toBe('two_factor_disabled')
    expect(own.body.events.every((e: any) => e.userId === user.id)).toBe(true)

    // Notifications: enabled, backup code used, locked, reset, disabled.
    const mail = (await t.client.execute('select * from twofold_outbox')).rows
    const subjects = mail.filter((m) => m.to === 'user@example.com').map((m) => String(m.subject))
    for (const s of ['turned on', 'backup code was used', 'locked', 'was reset', 'turned off']) {
      expect(
        subjects.some((subject) => subject.includes(s)),
        s,
      ).toBe(true)
    }

    // Nothing secret anywhere in the audit table; the outbox holds only the email sign-in code.
    const auditText = JSON.stringify(events)
    const outboxText = JSON.stringify(
      mail.filter((m) => !String(m.subject).includes('sign-in code')),
    )
    for (const value of [...secrets, enrollCode, totp]) {
      for (const variant of [value, value.replace(/[-\s]/g, '')]) {
        expect(auditText.includes(variant), `audit holds ${variant.slice(0, 3)}…`).toBe(false)
        expect(outboxText.includes(variant), `outbox holds ${variant.slice(0, 3)}…`).toBe(false)
      }
    }
  })

  it('admin audit filters and pages', async () => {
    const t = await makeApp()
    const admin = await t.signUp('admin@example.com')
    const user = await t.signUp('user@example.com')
    for (let i = 0; i < 3; i++)
      await t.call('POST', '/api/auth/sign-in', {
        body: { email: user.email, password: 'nope nope' },
      })
    const failed = await t.call('GET', `/api/admin/audit?action=sign_in_failed&pageSize=2`, {
      token: admin.token,
    })
    expect(failed.body).toMatchObject({ total: 3, page: 1, pageSize: 2 })
    expect(failed.body.events).toHaveLength(2)
    const byUser = await t.call('GET', `/api/admin/audit?userId=${user.user.id}`, {
      token: admin.token,
    })
    expect(byUser.body.events.every((e: any) => e.userId === user.user.id)).toBe(true)
    expect(byUser.body.total).toBe(4) // sign_up + 3 failures
  })

  it('mail never blocks or fails the request; the HTTP mailer retries and logs', async () => {
    const t = await makeApp({ mailer: { send: () => Promise.reject(new Error('smtp down')) } })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { token } = await t.signUp()
    await t.enroll(token) // sends "enabled": the failure must not surface
    await t.settle()
    expect(errors).toHaveBeenCalled()
    errors.mockRestore()

    const posts: Array<{ url: string; init: RequestInit }> = []
    let failures = 2
    const mailer = httpMailer({
      url: 'http://mail.test/send',
      token: 'mailer-token',
      fetch: async (url, init) => {
        posts.push({ url: String(url), init: init! })
        return new Response(null, { status: failures-- > 0 ? 503 : 202 })
      },
    })
    await mailer.send({ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' })
    expect(posts).toHaveLength(3)
    expect(JSON.parse(String(posts[0]!.init.body))).toEqual({
      to: 'a@example.com',
      subject: 's',
      text: 't',
      html: '<p>t</p>',
    })
    expect((posts[0]!.init.headers as Record<string, string>).authorization).toBe(
      'Bearer mailer-token',
    )
  })
})
