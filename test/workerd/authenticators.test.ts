/**
 * Several authenticators and step-up on D1 in workerd (`wrangler dev`), over HTTP with real
 * time: enroll an app, add and confirm a second one, step up with a code, remove one.
 */
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VirtualPasskey } from '../api/virtual-authenticator'
import { apiClient } from './http'
import { startDevWorker, type DevWorker } from './wrangler'

let worker: DevWorker

beforeAll(async () => {
  worker = await startDevWorker()
})

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
})
