/**
 * Several authenticators and step-up on D1 in workerd (`wrangler dev`), over HTTP with real
 * time: enroll an app, add and confirm a second one, step up with a code, remove one; register a
 * passkey, step up and sign in with it (real ES256 assertions from the virtual authenticator).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VirtualPasskey } from '../api/virtual-authenticator'
import { apiClient } from './http'
import { runWrangler, startDevWorker, type DevWorker } from './wrangler'

let worker: DevWorker
let persistTo: string

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), 'twofold-authenticators-d1-'))
  worker = await startDevWorker({ persistTo })
})

/** Reads the Worker's local D1 directly (wrangler d1 execute on its state directory). */
const query = async (sql: string) =>
  JSON.parse(
    await runWrangler([
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      persistTo,
      '--json',
      '--command',
      sql,
    ]),
  )[0].results as Record<string, unknown>[]

afterAll(async () => {
  await worker?.stop()
})

const call = apiClient(() => worker.url)

const unixNow = () => Math.floor(Date.now() / 1000)
const totp = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: unixNow() + offsetSteps * 30 })

describe('authenticators and step-up on D1 in workerd', () => {
  it('lists, adds and confirms a second app, steps up with a code and removes one', async () => {
    const email = 'grace@example.com'
    const password = 'correct horse battery'
    const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
    expect(signUp.status).toBe(201)
    const token = signUp.body.session.token as string

    const setup = await call('POST', '/api/two-factor/setup', { token })
    expect(setup.status).toBe(200)
    const first = setup.body.secret as string
    const verify = await call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: await totp(first) },
    })
    expect(verify.status).toBe(200)
    expect(verify.body.enabled).toBe(true)

    const listed = await call('GET', '/api/two-factor/authenticators', { token })
    expect(listed.status).toBe(200)
    expect(listed.body.authenticators).toHaveLength(1)
    expect(listed.body.authenticators[0]).toMatchObject({ type: 'totp' })
    const firstId = listed.body.authenticators[0].id as string

    const added = await call('POST', '/api/two-factor/authenticators', {
      token,
      body: { type: 'totp', name: 'Second phone' },
    })
    expect(added.status).toBe(201)
    const second = added.body.secret as string
    expect(second).not.toBe(first)
    // Pending until confirmed: not listed yet.
    const pending = await call('GET', '/api/two-factor/authenticators', { token })
    expect(pending.body.authenticators).toHaveLength(1)

    const confirmed = await call('POST', `/api/two-factor/authenticators/${added.body.id}/verify`, {
      token,
      body: { code: await totp(second) },
    })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body.authenticator).toMatchObject({ type: 'totp', name: 'Second phone' })
    const both = await call('GET', '/api/two-factor/authenticators', { token })
    expect(both.body.authenticators.map((a: { id: string }) => a.id).sort()).toEqual(
      [firstId, added.body.id].sort(),
    )

    // Removing needs a fresh step-up.
    const refused = await call('DELETE', `/api/two-factor/authenticators/${firstId}`, { token })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('STEP_UP_REQUIRED')

    // The first app's current step was used by setup: answer with its next step's code.
    const up = await call('POST', '/api/two-factor/step-up', {
      token,
      body: { code: await totp(first, 1) },
    })
    expect(up.status).toBe(200)
    expect(Date.parse(up.body.verifiedUntil)).toBeGreaterThan(Date.now())

    const removed = await call('DELETE', `/api/two-factor/authenticators/${firstId}`, { token })
    expect(removed.status).toBe(204)
    const left = await call('GET', '/api/two-factor/authenticators', { token })
    expect(left.body.authenticators).toHaveLength(1)
    expect(left.body.authenticators[0]).toMatchObject({ id: added.body.id, name: 'Second phone' })

    // The last one stays (use disable).
    const last = await call('DELETE', `/api/two-factor/authenticators/${added.body.id}`, { token })
    expect(last.status).toBe(409)
    expect(last.body.error.code).toBe('LAST_AUTHENTICATOR')

    // Two-factor is still on, and the remaining app still signs in.
    const signIn = await call('POST', '/api/auth/sign-in', { body: { email, password } })
    expect(signIn.body.status).toBe('two_factor_required')
    const passed = await call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: signIn.body.challenge.token, code: await totp(second, 1) },
    })
    expect(passed.status).toBe(200)
    expect(passed.body.status).toBe('authenticated')
  })

  it('registers a passkey (2FA on, backup codes) and steps up with it', async () => {
    const signUp = await call('POST', '/api/auth/sign-up', {
      body: { email: 'lin@example.com', password: 'correct horse battery' },
    })
    expect(signUp.status).toBe(201)
    const token = signUp.body.session.token as string
    const { origin, hostname } = new URL(worker.url)
    const key = new VirtualPasskey({ origin, rpId: hostname })

    const options = await call('POST', '/api/two-factor/passkeys/options', { token })
    expect(options.status).toBe(200)
    const registered = await call('POST', '/api/two-factor/passkeys', {
      token,
      body: { name: 'Laptop', credential: key.register(options.body.options) },
    })
    expect(registered.status).toBe(201)
    expect(registered.body.authenticator).toMatchObject({ type: 'passkey', name: 'Laptop' })
    expect(registered.body.backupCodes).toHaveLength(10)
    const status = await call('GET', '/api/two-factor', { token })
    expect(status.body.enabled).toBe(true)

    const stepUpOptions = await call('POST', '/api/two-factor/step-up/passkey', { token })
    expect(stepUpOptions.status).toBe(200)
    const assertion = key.assert(stepUpOptions.body.options)
    const up = await call('POST', '/api/two-factor/step-up', {
      token,
      body: { method: 'passkey', credential: assertion },
    })
    expect(up.status).toBe(200)
    // The same assertion again is refused (its challenge is used up).
    const replay = await call('POST', '/api/two-factor/step-up', {
      token,
      body: { method: 'passkey', credential: assertion },
    })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('INVALID_CODE')
  })

  it('signs in with a passkey on D1 (and remembers the device); refuses a replayed assertion, another challenge’s, another user’s and a counter rollback', async () => {
    const email = 'ada@example.com'
    const password = 'correct horse battery'
    const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
    expect(signUp.status).toBe(201)
    const userId = signUp.body.user.id as string
    const { origin, hostname } = new URL(worker.url)
    const key = new VirtualPasskey({ origin, rpId: hostname })
    const registrationOptions = await call('POST', '/api/two-factor/passkeys/options', {
      token: signUp.body.session.token,
    })
    const registered = await call('POST', '/api/two-factor/passkeys', {
      token: signUp.body.session.token,
      body: { name: 'Laptop', credential: key.register(registrationOptions.body.options) },
    })
    expect(registered.status).toBe(201)
    // Another user's passkey: never offered to this one.
    const other = await call('POST', '/api/auth/sign-up', {
      body: { email: 'bob@example.com', password },
    })
    const stranger = new VirtualPasskey({ origin, rpId: hostname })
    const strangerOptions = await call('POST', '/api/two-factor/passkeys/options', {
      token: other.body.session.token,
    })
    expect(
      (
        await call('POST', '/api/two-factor/passkeys', {
          token: other.body.session.token,
          body: { name: 'Key', credential: stranger.register(strangerOptions.body.options) },
        })
      ).status,
    ).toBe(201)

    const challenge = async () => {
      const res = await call('POST', '/api/auth/sign-in', { body: { email, password } })
      expect(res.status).toBe(200)
      expect(res.body.status).toBe('two_factor_required')
      return res.body.challenge as { token: string; methods: string[] }
    }
    const options = async (challengeToken: string) => {
      const res = await call('POST', '/api/auth/sign-in/two-factor/passkey', {
        body: { challengeToken },
      })
      expect(res.status).toBe(200)
      return res.body.options
    }
    const second = (challengeToken: string, credential: unknown, extra: object = {}) =>
      call('POST', '/api/auth/sign-in/two-factor', {
        body: { challengeToken, method: 'passkey', credential, ...extra },
      })
    const wrongCode = (res: { status: number; body: any }, attemptsRemaining: number) => {
      expect([res.status, res.body.error?.code]).toEqual([401, 'INVALID_CODE'])
      expect(res.body.error.attemptsRemaining).toBe(attemptsRemaining)
    }

    // Password, then a challenge that offers the passkey (no app enrolled: no totp).
    const first = await challenge()
    expect(first.methods).toContain('passkey')
    expect(first.methods).not.toContain('totp')
    const firstOptions = await options(first.token)
    expect(firstOptions).toMatchObject({ rpId: hostname, userVerification: 'preferred' })
    expect(firstOptions.allowCredentials).toEqual([
      { id: key.id, type: 'public-key', transports: ['internal'] },
    ])
    const used = key.assert(firstOptions)
    const passed = await second(first.token, used)
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({
      status: 'authenticated',
      method: 'passkey',
      user: { email, twoFactorEnabled: true },
    })
    const token = passed.body.session.token as string
    const session = await call('GET', '/api/auth/session', { token })
    expect(session.status).toBe(200)
    expect(session.body.user.email).toBe(email)
    // The sign-in challenge is spent.
    const spent = await second(first.token, key.assert(firstOptions))
    expect([spent.status, spent.body.error.code]).toEqual([401, 'INVALID_CHALLENGE'])

    // The same assertion replayed on a new challenge (with its own options pending).
    const replayed = await challenge()
    await options(replayed.token)
    wrongCode(await second(replayed.token, used), 4)

    // An assertion made for another sign-in challenge's options.
    const mine = await challenge()
    await options(mine.token)
    const theirs = await challenge()
    const theirOptions = await options(theirs.token)
    wrongCode(await second(mine.token, key.assert(theirOptions)), 4)
    // Another user's credential for this challenge's options.
    wrongCode(await second(mine.token, stranger.assert(await options(mine.token))), 3)

    // The counter was stored: one that goes back to the first sign-in's is refused …
    const rollback = await challenge()
    wrongCode(
      await second(rollback.token, key.assert(await options(rollback.token), { counter: 1 })),
      4,
    )

    // The failures counted toward the account: each is an audited failed challenge, and the
    // account's second-factor counter in D1 holds all four; the stored signature counter is the
    // first sign-in's.
    const events = await call('GET', '/api/two-factor/events', { token })
    const failures = events.body.events.filter(
      (e: { action: string }) => e.action === 'two_factor_challenge_failed',
    )
    expect(failures.map((e: { metadata: { method: string } }) => e.metadata.method)).toEqual(
      Array(4).fill('passkey'),
    )
    const state = () =>
      query(`SELECT (SELECT count FROM twofold_attempt_counters WHERE key = '2fa:${userId}') AS failures,
        (SELECT counter FROM twofold_authenticators WHERE user_id = '${userId}' AND type = 'passkey') AS counter`)
    expect(await state()).toEqual([{ failures: 4, counter: 1 }])

    // … and a second sign-in with a higher counter works (the other challenge's options are
    // still pending: the failed tries did not use them up).
    const again = await second(theirs.token, key.assert(theirOptions), { rememberDevice: true })
    expect(again.status).toBe(200)
    expect(again.body.method).toBe('passkey')
    // Remembered: the device cookie lets the next sign-in skip the challenge.
    const device = again.headers
      .getSetCookie()
      .find((c) => c.startsWith('twofold_device='))!
      .split(';')[0]!
    const trusted = await fetch(`${worker.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: device },
      body: JSON.stringify({ email, password }),
    })
    expect((await trusted.json()).status).toBe('authenticated')
    const [listed] = (
      await call('GET', '/api/two-factor/authenticators', { token: again.body.session.token })
    ).body.authenticators
    expect(listed).toMatchObject({ type: 'passkey', name: 'Laptop' })
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000)
    // The pass stored the new counter and cleared the account's failures.
    expect(key.counter).toBe(4)
    expect(await state()).toEqual([{ failures: null, counter: 4 }])
  })
})
