/**
 * Several authenticators per user (contract: "Authenticators: several per user, passkeys,
 * step-up"): apps added, confirmed, renamed, removed after a step-up; a code from any app.
 */
import { describe, expect, it } from 'vitest'
import { generateSecret } from 'otplib'
import { expectErrorShape, makeApp, type TestApp } from './helpers'

async function enrolled(t: TestApp) {
  const account = await t.signUp()
  const { secret, backupCodes } = await t.enroll(account.token)
  return { ...account, secret, backupCodes }
}

async function addApp(t: TestApp, token: string, name = 'Backup phone') {
  const added = await t.call('POST', '/api/two-factor/authenticators', {
    token,
    body: { type: 'totp', name },
  })
  expect(added.status).toBe(201)
  t.advance(30)
  const verify = await t.call('POST', `/api/two-factor/authenticators/${added.body.id}/verify`, {
    token,
    body: { code: await t.code(added.body.secret) },
  })
  expect(verify.status).toBe(200)
  return { id: added.body.id as string, secret: added.body.secret as string, verify }
}

const stepUp = (t: TestApp, token: string, code: string) =>
  t.call('POST', '/api/two-factor/step-up', { token, body: { code } })

describe('authenticator apps', () => {
  it('the app confirmed through setup is listed as "Authenticator app"', async () => {
    const t = await makeApp()
    const { token } = await enrolled(t)
    const list = await t.call('GET', '/api/two-factor/authenticators', { token })
    expect(list.status).toBe(200)
    expect(list.body).toEqual({
      authenticators: [
        {
          id: expect.any(String),
          type: 'totp',
          name: 'Authenticator app',
          createdAt: new Date(t.clock.now).toISOString(),
          lastUsedAt: null,
        },
      ],
    })
  })

  it('adds a second app: pending until its code, then listed; a code from either app passes, each with its own replay step', async () => {
    const t = await makeApp()
    const { token, email, secret } = await enrolled(t)
    const added = await t.call('POST', '/api/two-factor/authenticators', {
      token,
      body: { type: 'totp', name: '  Backup phone  ' },
    })
    expect(added.status).toBe(201)
    expect(added.body).toEqual({
      id: expect.any(String),
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      manualEntryKey: expect.any(String),
      otpauthUri: expect.stringContaining('otpauth://totp/'),
      qrCodeSvg: expect.stringMatching(/^<svg/),
    })
    // Pending: not listed, and its codes do not sign in.
    expect(
      (await t.call('GET', '/api/two-factor/authenticators', { token })).body.authenticators,
    ).toHaveLength(1)
    const early = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: await t.code(added.body.secret) },
    })
    expect(early.status).toBe(401)
    // A wrong code does not confirm it.
    const wrong = await t.call('POST', `/api/two-factor/authenticators/${added.body.id}/verify`, {
      token,
      body: { code: await t.code(generateSecret()) },
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    t.advance(30)
    const code = await t.code(added.body.secret)
    const verify = await t.call('POST', `/api/two-factor/authenticators/${added.body.id}/verify`, {
      token,
      body: { code },
    })
    expect(verify.status).toBe(200)
    expect(verify.body.authenticator).toMatchObject({
      id: added.body.id,
      type: 'totp',
      name: 'Backup phone',
    })
    const list = await t.call('GET', '/api/two-factor/authenticators', { token })
    expect(list.body.authenticators.map((a: any) => a.name)).toEqual([
      'Authenticator app',
      'Backup phone',
    ])

    // The confirming code counts as used.
    const replay = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code },
    })
    expect(replay.status).toBe(401)
    // The same time step from the other app still passes: each app has its own step.
    const other = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: await t.code(secret) },
    })
    expect(other.status).toBe(200)
    expect(other.body.method).toBe('totp')
    t.advance(30)
    const second = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: await t.code(added.body.secret) },
    })
    expect(second.status).toBe(200)
    const used = await t.call('GET', '/api/two-factor/authenticators', { token })
    expect(used.body.authenticators.every((a: any) => a.lastUsedAt !== null)).toBe(true)
  })

  it('refuses adding an app before 2FA is on (409 TWO_FACTOR_NOT_ENABLED) and bad names (400)', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const before = await t.call('POST', '/api/two-factor/authenticators', {
      token,
      body: { type: 'totp', name: 'Phone' },
    })
    expect(before.status).toBe(409)
    expect(before.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED')
    await t.enroll(token)
    for (const name of ['', '   ', 'x'.repeat(65)]) {
      const bad = await t.call('POST', '/api/two-factor/authenticators', {
        token,
        body: { type: 'totp', name },
      })
      expect(bad.status).toBe(400)
      expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    }
    const passkey = await t.call('POST', '/api/two-factor/authenticators', {
      token,
      body: { type: 'passkey', name: 'Key' },
    })
    expect(passkey.status).toBe(400)
  })

  it('renames (trimmed, 1–64 characters, audited); another user’s authenticator is 404', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const bob = await enrolled(t)
    const [own] = (await t.call('GET', '/api/two-factor/authenticators', { token: ada.token })).body
      .authenticators
    const renamed = await t.call('PATCH', `/api/two-factor/authenticators/${own.id}`, {
      token: ada.token,
      body: { name: ' Pixel 9 ' },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.body.authenticator).toEqual({ ...own, name: 'Pixel 9' })
    const tooLong = await t.call('PATCH', `/api/two-factor/authenticators/${own.id}`, {
      token: ada.token,
      body: { name: 'x'.repeat(65) },
    })
    expect(tooLong.status).toBe(400)
    const stranger = await t.call('PATCH', `/api/two-factor/authenticators/${own.id}`, {
      token: bob.token,
      body: { name: 'Mine now' },
    })
    expect(stranger.status).toBe(404)
    expectErrorShape(stranger.body)
    const events = await t.call('GET', '/api/two-factor/events', { token: ada.token })
    const event = events.body.events.find((e: any) => e.action === 'authenticator_renamed')
    expect(event.metadata).toEqual({ type: 'totp', authenticatorId: own.id })
  })

  it('removing needs a step-up (403), then never the last one (409); another user’s is 404', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const bob = await enrolled(t)
    const second = await addApp(t, ada.token)
    const [first] = (await t.call('GET', '/api/two-factor/authenticators', { token: ada.token }))
      .body.authenticators

    const refused = await t.call('DELETE', `/api/two-factor/authenticators/${first.id}`, {
      token: ada.token,
    })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('STEP_UP_REQUIRED')

    t.advance(30)
    const up = await stepUp(t, ada.token, await t.code(ada.secret))
    expect(up.status).toBe(200)
    expect(up.body).toEqual({ verifiedUntil: new Date(t.clock.now + 10 * 60_000).toISOString() })

    const strangers = await t.call('DELETE', `/api/two-factor/authenticators/${first.id}`, {
      token: bob.token,
    })
    expect(strangers.status).toBe(403) // bob has no step-up: checked first
    t.advance(30)
    await stepUp(t, bob.token, await t.code(bob.secret))
    const notHis = await t.call('DELETE', `/api/two-factor/authenticators/${first.id}`, {
      token: bob.token,
    })
    expect(notHis.status).toBe(404)

    const removed = await t.call('DELETE', `/api/two-factor/authenticators/${first.id}`, {
      token: ada.token,
    })
    expect(removed.status).toBe(204)
    const last = await t.call('DELETE', `/api/two-factor/authenticators/${second.id}`, {
      token: ada.token,
    })
    expect(last.status).toBe(409)
    expect(last.body.error.code).toBe('LAST_AUTHENTICATOR')
    // The removed app's codes no longer pass; the remaining one's do.
    t.advance(30)
    const gone = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(ada.email), code: await t.code(ada.secret) },
    })
    expect(gone.status).toBe(401)
    const kept = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(ada.email), code: await t.code(second.secret) },
    })
    expect(kept.status).toBe(200)
    const actions = (
      await t.call('GET', '/api/two-factor/events', { token: ada.token })
    ).body.events.map((e: any) => e.action)
    expect(actions).toEqual(
      expect.arrayContaining(['authenticator_added', 'step_up', 'authenticator_removed']),
    )
  })

  it('parallel removals of the last two leave one', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const second = await addApp(t, ada.token)
    const [first] = (await t.call('GET', '/api/two-factor/authenticators', { token: ada.token }))
      .body.authenticators
    t.advance(30)
    await stepUp(t, ada.token, await t.code(ada.secret))
    const answers = await Promise.all(
      [first.id, second.id].map((id) =>
        t.call('DELETE', `/api/two-factor/authenticators/${id}`, { token: ada.token }),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([204, 409])
    expect(
      (await t.call('GET', '/api/two-factor/authenticators', { token: ada.token })).body
        .authenticators,
    ).toHaveLength(1)
  })
})

describe('step-up', () => {
  it('only a successful step-up opens the window; signing in does not; it ends after 10 minutes', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const second = await addApp(t, ada.token)
    t.advance(30)
    const signIn = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(ada.email), code: await t.code(ada.secret) },
    })
    const fresh = signIn.body.session.token
    const del = () =>
      t.call('DELETE', `/api/two-factor/authenticators/${second.id}`, { token: fresh })
    expect((await del()).status).toBe(403)

    const wrong = await stepUp(t, fresh, '000000')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    expect((await del()).status).toBe(403)

    t.advance(30)
    expect((await stepUp(t, fresh, await t.code(second.secret))).status).toBe(200)
    // Another session of the same user is not stepped up.
    const otherSession = await t.call('DELETE', `/api/two-factor/authenticators/${second.id}`, {
      token: ada.token,
    })
    expect(otherSession.status).toBe(403)
    t.advance(10 * 60 + 1)
    const expired = await del()
    expect(expired.status).toBe(403)
    expect(expired.body.error.code).toBe('STEP_UP_REQUIRED')
  })

  it('wrong step-up codes count toward the account lockout', async () => {
    const t = await makeApp({ limits: { twoFactorFailures: 3 } })
    const ada = await enrolled(t)
    for (let i = 0; i < 2; i++) expect((await stepUp(t, ada.token, '000000')).status).toBe(401)
    const locked = await stepUp(t, ada.token, '000000')
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS')
    t.advance(30)
    expect((await stepUp(t, ada.token, await t.code(ada.secret))).status).toBe(429)
  })

  it('accepts a backup code; refuses without 2FA (400 NOT_ENABLED) and malformed bodies (400)', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const up = await stepUp(t, ada.token, ada.backupCodes[0]!)
    expect(up.status).toBe(200)
    const none = await t.signUp()
    const off = await stepUp(t, none.token, '123456')
    expect(off.status).toBe(400)
    expect(off.body.error.code).toBe('NOT_ENABLED')
    const bad = await t.call('POST', '/api/two-factor/step-up', {
      token: ada.token,
      body: { method: 'passkey' },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
  })

  it('disable and backup-code regeneration take no body within a step-up window, 403 outside', async () => {
    const t = await makeApp()
    const ada = await enrolled(t)
    const post = (path: string) => t.call('POST', path, { token: ada.token })
    const outside = await post('/api/two-factor/backup-codes')
    expect(outside.status).toBe(403)
    expect(outside.body.error.code).toBe('STEP_UP_REQUIRED')
    expect((await post('/api/two-factor/disable')).status).toBe(403)
    t.advance(30)
    await stepUp(t, ada.token, await t.code(ada.secret))
    const regenerated = await post('/api/two-factor/backup-codes')
    expect(regenerated.status).toBe(200)
    expect(regenerated.body.backupCodes).toHaveLength(10)
    const disabled = await post('/api/two-factor/disable')
    expect(disabled.status).toBe(200)
    expect(disabled.body).toEqual({ enabled: false })
    const rows = await t.client.execute({
      sql: 'select (select count(*) from twofold_authenticators where user_id = ?) a, (select count(*) from twofold_backup_codes where user_id = ?) b',
      args: [ada.user.id, ada.user.id],
    })
    expect(rows.rows[0]).toMatchObject({ a: 0, b: 0 })
  })
})

describe('requireStepUp() on the standalone app', () => {
  it('guards an app route of the host: 401, 403 STEP_UP_REQUIRED, then through after a step-up', async () => {
    const { requireStepUp } = await import('../../api/server')
    const t = await makeApp()
    // Hono builds its router on the first request: the route goes in first.
    t.app.post('/api/transfer', requireStepUp(), (c) => c.json({ sent: true }))
    const ada = await enrolled(t)
    expect((await t.call('POST', '/api/transfer')).status).toBe(401)
    const refused = await t.call('POST', '/api/transfer', { token: ada.token })
    expect([refused.status, refused.body.error.code]).toEqual([403, 'STEP_UP_REQUIRED'])
    t.advance(30)
    await stepUp(t, ada.token, await t.code(ada.secret))
    expect((await t.call('POST', '/api/transfer', { token: ada.token })).body).toEqual({
      sent: true,
    })
  })
})
