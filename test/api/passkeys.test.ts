/**
 * Passkeys (WebAuthn) with real responses from a software authenticator (virtual-authenticator.ts):
 * registration, step-up with a passkey, and every refusal the contract lists.
 */
import { describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from './helpers'
import { VirtualPasskey } from './virtual-authenticator'

async function registrationOptions(t: TestApp, token: string) {
  const res = await t.call('POST', '/api/two-factor/passkeys/options', { token })
  expect(res.status).toBe(200)
  return res.body.options
}

async function register(t: TestApp, token: string, key: VirtualPasskey, name = 'YubiKey') {
  const options = await registrationOptions(t, token)
  return t.call('POST', '/api/two-factor/passkeys', {
    token,
    body: { name, credential: key.register(options) },
  })
}

async function stepUpOptions(t: TestApp, token: string) {
  const res = await t.call('POST', '/api/two-factor/step-up/passkey', { token })
  expect(res.status).toBe(200)
  return res.body.options
}

const stepUpWith = (t: TestApp, token: string, credential: unknown) =>
  t.call('POST', '/api/two-factor/step-up', { token, body: { method: 'passkey', credential } })

describe('passkey registration', () => {
  it('options: RP id and name, the user, user verification preferred, the user’s passkeys excluded', async () => {
    const t = await makeApp()
    const { token, email, user } = await t.signUp()
    const options = await registrationOptions(t, token)
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Twofold Test' },
      user: { name: email },
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      timeout: 300_000,
      attestation: 'none',
      authenticatorSelection: { userVerification: 'preferred' },
      excludeCredentials: [],
    })
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(user.id)
    const key = new VirtualPasskey()
    expect(
      (
        await t.call('POST', '/api/two-factor/passkeys', {
          token,
          body: { name: 'Key', credential: key.register(options) },
        })
      ).status,
    ).toBe(201)
    const again = await registrationOptions(t, token)
    expect(again.excludeCredentials).toEqual([
      { id: key.id, type: 'public-key', transports: ['internal'] },
    ])
    // The challenge is stored hashed only.
    const stored = await t.client.execute('select challenge_hash from twofold_webauthn_challenges')
    expect(JSON.stringify(stored.rows)).not.toContain(again.challenge)
  })

  it('a first passkey enables 2FA and returns 10 backup codes; public keys never in answers or audit', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const key = new VirtualPasskey()
    const res = await register(t, token, key, '  Laptop  ')
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      authenticator: {
        id: expect.any(String),
        type: 'passkey',
        name: 'Laptop',
        createdAt: new Date(t.clock.now).toISOString(),
        lastUsedAt: null,
      },
      backupCodes: expect.any(Array),
    })
    expect(res.body.backupCodes).toHaveLength(10)
    const status = await t.call('GET', '/api/two-factor', { token })
    expect(status.body).toMatchObject({ enabled: true, backupCodes: { remaining: 10 } })
    // Sign-in now asks for a second factor.
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.status).toBe('two_factor_required')

    // A second passkey: no backup codes this time.
    const second = await register(t, token, new VirtualPasskey(), 'Phone')
    expect(second.status).toBe(201)
    expect(second.body.backupCodes).toBeUndefined()

    const row = (
      await t.client.execute(
        'select public_key, aaguid, counter from twofold_authenticators where type = ? limit 1',
        ['passkey'],
      )
    ).rows[0]!
    const publicKey = String(row.public_key)
    expect(publicKey.length).toBeGreaterThan(40)
    const list = await t.call('GET', '/api/two-factor/authenticators', { token })
    const events = await t.client.execute('select * from twofold_audit_events')
    for (const text of [
      JSON.stringify(res.body),
      JSON.stringify(list.body),
      JSON.stringify(events.rows),
    ]) {
      expect(text).not.toContain(publicKey)
    }
    const actions = events.rows.map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['authenticator_added', 'two_factor_enabled']))
    const enabled = events.rows.find((e) => e.action === 'two_factor_enabled')!
    expect(JSON.parse(String(enabled.metadata))).toEqual({ method: 'passkey' })
  })

  it('refuses a response that does not verify (400 INVALID_CREDENTIAL): wrong origin, wrong RP id, another challenge, a reused or expired challenge', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const post = (credential: unknown) =>
      t.call('POST', '/api/two-factor/passkeys', { token, body: { name: 'Key', credential } })
    const refused = async (credential: unknown) => {
      const res = await post(credential)
      expect([res.status, res.body.error?.code]).toEqual([400, 'INVALID_CREDENTIAL'])
    }
    await refused(
      new VirtualPasskey({ origin: 'https://evil.example' }).register(
        await registrationOptions(t, token),
      ),
    )
    await refused(
      new VirtualPasskey({ rpId: 'evil.example' }).register(await registrationOptions(t, token)),
    )
    await registrationOptions(t, token)
    await refused(new VirtualPasskey().register({ challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' }))
    // Asking again replaces the pending challenge: the earlier one no longer works.
    const earlier = await registrationOptions(t, token)
    const later = await registrationOptions(t, token)
    await refused(new VirtualPasskey().register(earlier))
    // Single use: the same response twice.
    const key = new VirtualPasskey()
    const response = key.register(later)
    expect((await post(response)).status).toBe(201)
    await refused(new VirtualPasskey().register(later))
    // Expired after 5 minutes.
    const stale = await registrationOptions(t, token)
    t.advance(5 * 60 + 1)
    await refused(new VirtualPasskey().register(stale))
    // Malformed input is a 400 too, never a 5xx.
    const bad = await post({
      ...response,
      response: { ...response.response, clientDataJSON: 'e30' },
    })
    expect(bad.status).toBe(400)
  })

  it('refuses a credential already registered (409 PASSKEY_EXISTS), also another user’s', async () => {
    const t = await makeApp()
    const ada = await t.signUp()
    const bob = await t.signUp()
    const key = new VirtualPasskey()
    expect((await register(t, ada.token, key)).status).toBe(201)
    const twice = await register(t, ada.token, key)
    expect([twice.status, twice.body.error.code]).toEqual([409, 'PASSKEY_EXISTS'])
    const bobs = await register(t, bob.token, key)
    expect([bobs.status, bobs.body.error.code]).toEqual([409, 'PASSKEY_EXISTS'])
  })

  it('uses the configured RP id and public origin, and the trusted origins', async () => {
    const t = await makeApp({
      rpId: 'example.com',
      publicOrigin: 'https://auth.example.com',
      trustedOrigins: ['https://app.example.com'],
    })
    const { token } = await t.signUp()
    const options = await registrationOptions(t, token)
    expect(options.rp.id).toBe('example.com')
    // The request's own URL (http://localhost) is not the public origin.
    const local = await t.call('POST', '/api/two-factor/passkeys', {
      token,
      body: {
        name: 'Key',
        credential: new VirtualPasskey({ rpId: 'example.com' }).register(options),
      },
    })
    expect(local.status).toBe(400)
    const viaApp = new VirtualPasskey({ rpId: 'example.com', origin: 'https://app.example.com' })
    const ok = await t.call('POST', '/api/two-factor/passkeys', {
      token,
      body: { name: 'Key', credential: viaApp.register(await registrationOptions(t, token)) },
    })
    expect(ok.status).toBe(201)
    const publicKey = new VirtualPasskey({
      rpId: 'example.com',
      origin: 'https://auth.example.com',
    })
    const ok2 = await t.call('POST', '/api/two-factor/passkeys', {
      token,
      body: { name: 'Key 2', credential: publicKey.register(await registrationOptions(t, token)) },
    })
    expect(ok2.status).toBe(201)
  })
})

describe('step-up with a passkey', () => {
  async function withPasskey() {
    const t = await makeApp()
    const account = await t.signUp()
    const key = new VirtualPasskey()
    const res = await register(t, account.token, key)
    expect(res.status).toBe(201)
    return { t, ...account, key, backupCodes: res.body.backupCodes as string[] }
  }

  it('options allow only the user’s passkeys; a valid assertion opens the window and marks it used', async () => {
    const { t, token, key } = await withPasskey()
    const other = await t.signUp()
    await register(t, other.token, new VirtualPasskey())
    const options = await stepUpOptions(t, token)
    expect(options).toMatchObject({
      rpId: 'localhost',
      userVerification: 'preferred',
      timeout: 300_000,
    })
    expect(options.allowCredentials).toEqual([
      { id: key.id, type: 'public-key', transports: ['internal'] },
    ])
    const up = await stepUpWith(t, token, key.assert(options))
    expect(up.status).toBe(200)
    expect(up.body.verifiedUntil).toBe(new Date(t.clock.now + 600_000).toISOString())
    const [listed] = (await t.call('GET', '/api/two-factor/authenticators', { token })).body
      .authenticators
    expect(listed.lastUsedAt).toBe(new Date(t.clock.now).toISOString())
    const events = (await t.call('GET', '/api/two-factor/events', { token })).body.events
    expect(events.find((e: any) => e.action === 'step_up')).toMatchObject({
      metadata: { method: 'passkey' },
    })
    // Within the window: backup codes regenerate without a body.
    expect((await t.call('POST', '/api/two-factor/backup-codes', { token })).status).toBe(200)
  })

  it('refuses (401 INVALID_CODE) a replayed assertion, an assertion for another challenge, another user’s credential, a wrong origin, a counter rollback and an expired challenge; each counts toward the lockout', async () => {
    const { t, token, key, user } = await withPasskey()
    const refused = async (credential: unknown, why: string) => {
      const res = await stepUpWith(t, token, credential)
      expect([why, res.status, res.body.error?.code]).toEqual([why, 401, 'INVALID_CODE'])
    }
    const counter = async () =>
      Number(
        (
          await t.client.execute({
            sql: 'select count from twofold_attempt_counters where key = ?',
            args: [`2fa:${user.id}`],
          })
        ).rows[0]?.count ?? 0,
      )

    // Replayed: the same assertion twice.
    const assertion = key.assert(await stepUpOptions(t, token))
    expect((await stepUpWith(t, token, assertion)).status).toBe(200)
    await refused(assertion, 'replayed')
    // Another challenge: an assertion made for options that were never issued.
    await stepUpOptions(t, token)
    await refused(key.assert({ challenge: 'c29tZS1vdGhlci1jaGFsbGVuZ2U' }), 'another challenge')
    expect(await counter()).toBe(2)
    // Another user's credential, for this user's challenge.
    const stranger = new VirtualPasskey()
    const bob = await t.signUp()
    await register(t, bob.token, stranger)
    await refused(stranger.assert(await stepUpOptions(t, token)), 'another user’s credential')
    // A wrong origin.
    const options = await stepUpOptions(t, token)
    await refused(key.assert(options, { origin: 'https://evil.example' }), 'wrong origin')
    expect(await counter()).toBe(4)
    // A counter that goes backwards (a cloned authenticator).
    await refused(key.assert(await stepUpOptions(t, token), { counter: 1 }), 'counter rollback')
    // Expired: 5 minutes.
    const stale = await stepUpOptions(t, token)
    t.advance(5 * 60 + 1)
    await refused(key.assert(stale), 'expired challenge')
    expect(await counter()).toBe(6)
    // The real one still works afterwards (the failed tries did not move the stored counter),
    // and clears the failures.
    const ok = await stepUpWith(t, token, key.assert(await stepUpOptions(t, token)))
    expect(ok.status).toBe(200)
    expect(await counter()).toBe(0)
  })

  it('a step-up window expires after 10 minutes', async () => {
    const { t, token, key } = await withPasskey()
    expect((await stepUpWith(t, token, key.assert(await stepUpOptions(t, token)))).status).toBe(200)
    t.advance(9 * 60)
    expect((await t.call('POST', '/api/two-factor/backup-codes', { token })).status).toBe(200)
    t.advance(61)
    const late = await t.call('POST', '/api/two-factor/backup-codes', { token })
    expect([late.status, late.body.error.code]).toEqual([403, 'STEP_UP_REQUIRED'])
  })

  it('removing a passkey after a passkey step-up; the last one is kept (409)', async () => {
    const { t, token, key } = await withPasskey()
    const second = await register(t, token, new VirtualPasskey(), 'Spare key')
    expect((await stepUpWith(t, token, key.assert(await stepUpOptions(t, token)))).status).toBe(200)
    const removed = await t.call(
      'DELETE',
      `/api/two-factor/authenticators/${second.body.authenticator.id}`,
      { token },
    )
    expect(removed.status).toBe(204)
    const [last] = (await t.call('GET', '/api/two-factor/authenticators', { token })).body
      .authenticators
    const refused = await t.call('DELETE', `/api/two-factor/authenticators/${last.id}`, { token })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'LAST_AUTHENTICATOR'])
  })
})

describe('signing in with a passkey', () => {
  async function setup() {
    const t = await makeApp()
    const account = await t.signUp()
    const key = new VirtualPasskey()
    const res = await register(t, account.token, key)
    expect(res.status).toBe(201)
    return { t, ...account, key }
  }
  const options = async (t: TestApp, challengeToken: string) => {
    const res = await t.call('POST', '/api/auth/sign-in/two-factor/passkey', {
      body: { challengeToken },
    })
    expect(res.status).toBe(200)
    return res.body.options
  }
  const second = (t: TestApp, challengeToken: string, credential: unknown, extra: object = {}) =>
    t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken, method: 'passkey', credential, ...extra },
    })

  it('the challenge offers passkey (and no totp without an app); the assertion signs in', async () => {
    const { t, email, key } = await setup()
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.challenge.methods).toEqual(['passkey', 'backup_code', 'email'])
    const challengeToken = signIn.body.challenge.token
    const opts = await options(t, challengeToken)
    expect(opts.allowCredentials).toEqual([
      { id: key.id, type: 'public-key', transports: ['internal'] },
    ])
    const res = await second(t, challengeToken, key.assert(opts), { rememberDevice: true })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      status: 'authenticated',
      method: 'passkey',
      user: { twoFactorEnabled: true },
    })
    expect(res.body.session.token).toEqual(expect.any(String))
    expect(res.cookies.some((c) => c.includes('device'))).toBe(true)
    const session = await t.call('GET', '/api/auth/session', { token: res.body.session.token })
    expect(session.status).toBe(200)
    const [passkey] = (
      await t.call('GET', '/api/two-factor/authenticators', { token: res.body.session.token })
    ).body.authenticators
    expect(passkey.lastUsedAt).toBe(new Date(t.clock.now).toISOString())
    // The challenge is spent.
    const again = await second(t, challengeToken, key.assert(opts))
    expect(again.status).toBe(401)
    expect(again.body.error.code).toBe('INVALID_CHALLENGE')
  })

  it('refuses as a wrong code (401 INVALID_CODE, counted): replayed assertion, another challenge’s assertion, another user’s credential, wrong origin or RP id, counter rollback', async () => {
    const { t, email, key } = await setup()
    const bob = await t.signUp()
    const stranger = new VirtualPasskey()
    await register(t, bob.token, stranger)
    const wrong = async (why: string, make: (challengeToken: string) => Promise<unknown>) => {
      const challengeToken = await t.challenge(email)
      const res = await second(t, challengeToken, await make(challengeToken))
      expect([why, res.status, res.body.error?.code]).toEqual([why, 401, 'INVALID_CODE'])
      expect(res.body.error.attemptsRemaining).toBe(4)
    }
    // A good sign-in whose assertion is then replayed on a new challenge.
    const first = await t.challenge(email)
    const used = key.assert(await options(t, first))
    expect((await second(t, first, used)).status).toBe(200)
    await wrong('replayed', async (token) => {
      await options(t, token)
      return used
    })
    // An assertion for another sign-in challenge's WebAuthn challenge.
    await wrong('another challenge', async (token) => {
      await options(t, token)
      const other = await t.challenge(email)
      return key.assert(await options(t, other))
    })
    await wrong('another user’s credential', async (token) =>
      stranger.assert(await options(t, token)),
    )
    await wrong('wrong origin', async (token) =>
      key.assert(await options(t, token), { origin: 'https://evil.example' }),
    )
    await wrong('wrong RP id', async (token) =>
      key.assert(await options(t, token), { rpId: 'evil.example' }),
    )
    await wrong('counter rollback', async (token) =>
      key.assert(await options(t, token), { counter: 1 }),
    )
    await wrong('no options asked', async () => key.assert({ challenge: 'bm8tb3B0aW9ucw' }))
    const failures = await t.client.execute(
      `select action from twofold_audit_events where action = 'two_factor_challenge_failed'`,
    )
    expect(failures.rows).toHaveLength(7)
    // The real passkey still signs in.
    const last = await t.challenge(email)
    expect((await second(t, last, key.assert(await options(t, last)))).status).toBe(200)
  })

  it('an expired WebAuthn challenge is refused while the sign-in challenge is still live', async () => {
    const t = await makeApp({ limits: { challengeTtlSeconds: 900 } })
    const account = await t.signUp()
    const key = new VirtualPasskey()
    await register(t, account.token, key)
    const challengeToken = await t.challenge(account.email)
    const opts = await options(t, challengeToken)
    t.advance(5 * 60 + 1)
    const res = await second(t, challengeToken, key.assert(opts))
    expect([res.status, res.body.error.code]).toEqual([401, 'INVALID_CODE'])
    // New options for the same sign-in challenge work.
    expect(
      (await second(t, challengeToken, key.assert(await options(t, challengeToken)))).status,
    ).toBe(200)
  })

  it('options need a live challenge (401 INVALID_CHALLENGE)', async () => {
    const { t } = await setup()
    const res = await t.call('POST', '/api/auth/sign-in/two-factor/passkey', {
      body: { challengeToken: 'nope' },
    })
    expect([res.status, res.body.error.code]).toEqual([401, 'INVALID_CHALLENGE'])
  })

  it('TOTP users still get totp in methods; a code with method passkey is a 400', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    await t.enroll(token)
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.challenge.methods).toEqual(['totp', 'backup_code', 'email'])
    const bad = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: signIn.body.challenge.token, code: '123456', method: 'passkey' },
    })
    expect(bad.status).toBe(400)
  })
})

describe('purging', () => {
  it('removes expired WebAuthn challenges and ended step-up windows, keeps live ones', async () => {
    const { purgeExpired } = await import('../../api/services/purge.service')
    const t = await makeApp()
    const { token } = await t.signUp()
    const key = new VirtualPasskey()
    await register(t, token, key)
    await stepUpWith(t, token, key.assert(await stepUpOptions(t, token)))
    await registrationOptions(t, token)
    const count = async (table: string) =>
      Number((await t.client.execute(`select count(*) n from ${table}`)).rows[0]!.n)
    await purgeExpired(t.db, t.clock.now)
    expect([await count('twofold_webauthn_challenges'), await count('twofold_step_ups')]).toEqual([
      1, 1,
    ])
    t.advance(10 * 60 + 1)
    await purgeExpired(t.db, t.clock.now)
    expect([await count('twofold_webauthn_challenges'), await count('twofold_step_ups')]).toEqual([
      0, 0,
    ])
  })
})
