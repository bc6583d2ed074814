/**
 * The sign-in journey against the real runtime: `wrangler dev` serves the Worker in workerd on
 * a fresh local D1 (migrated with wrangler from drizzle/), driven over HTTP with real time.
 */
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, expectBurstSurvived } from './http'
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
/** The TOTP code for the step `offsetSteps` away from now. */
const totp = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: unixNow() + offsetSteps * 30 })

/** Six digits that match no step near now, so they are wrong whatever has been claimed. */
async function wrongCode(secret: string) {
  const near = await Promise.all([-2, -1, 0, 1, 2].map((k) => totp(secret, k)))
  for (let n = 0; ; n++) {
    const candidate = String((n * 7919) % 1_000_000).padStart(6, '0')
    if (!near.includes(candidate)) return candidate
  }
}

const email = 'ada@example.com'
const password = 'correct horse battery'

async function challenge() {
  const signIn = await call('POST', '/api/auth/sign-in', { body: { email, password } })
  expect(signIn.status).toBe(200)
  expect(signIn.body.status).toBe('two_factor_required')
  return signIn.body.challenge.token as string
}

const pass = (challengeToken: string, code: string) =>
  call('POST', '/api/auth/sign-in/two-factor', { body: { challengeToken, code } })

describe('Worker on D1 in workerd', () => {
  let secret: string
  let backupCodes: string[]
  let sessionToken: string

  it('signs up, enrolls TOTP (with an SVG QR code) and gets backup codes', async () => {
    const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
    expect(signUp.status).toBe(201)
    const token = signUp.body.session.token as string

    const setup = await call('POST', '/api/two-factor/setup', { token })
    expect(setup.status).toBe(200)
    secret = setup.body.secret
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(setup.body.otpauthUri).toContain(`secret=${secret}`)
    expect(setup.body.qrCodeSvg).toMatch(/^(<svg|<\?xml)/)

    const verify = await call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: await totp(secret) },
    })
    expect(verify.status).toBe(200)
    expect(verify.body.enabled).toBe(true)
    backupCodes = verify.body.backupCodes
    expect(backupCodes).toHaveLength(10)

    expect((await call('POST', '/api/auth/sign-out', { token })).status).toBe(204)
    expect((await call('GET', '/api/auth/session', { token })).status).toBe(401)
  })

  it('signs in with a TOTP code; the same code is refused on a new challenge', async () => {
    // The confirming code's step is used: answer with the next step's code (±1 step is accepted).
    const code = await totp(secret, 1)
    const passed = await pass(await challenge(), code)
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({ status: 'authenticated', method: 'totp', user: { email } })
    const session = await call('GET', '/api/auth/session', { token: passed.body.session.token })
    expect(session.status).toBe(200)

    const replay = await pass(await challenge(), code)
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('INVALID_CODE')
  })

  it('signs in with a backup code', async () => {
    const passed = await pass(await challenge(), backupCodes[0])
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({
      status: 'authenticated',
      method: 'backup_code',
      backupCodesRemaining: 9,
    })
    sessionToken = passed.body.session.token
  })

  it('locks the second factor after 10 wrong codes across challenges', async () => {
    const wrong = await wrongCode(secret)
    const first = await challenge()
    for (let i = 1; i <= 5; i++) {
      const answer = await pass(first, wrong)
      expect(answer.status).toBe(401)
      expect(answer.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 5 - i })
    }
    // Five wrong codes use the challenge up.
    expect((await pass(first, wrong)).body.error.code).toBe('INVALID_CHALLENGE')

    const second = await challenge()
    for (let i = 6; i <= 9; i++) expect((await pass(second, wrong)).status).toBe(401)
    // The tenth failure sets the lock (answered as 429, or as a last 401).
    expect([401, 429]).toContain((await pass(second, wrong)).status)

    for (const code of [await totp(secret, 1), backupCodes[1]]) {
      const locked = await pass(await challenge(), code)
      expect(locked.status).toBe(429)
      expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS')
      const retryAfter = Number(locked.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(0)
      expect(locked.body.error.retryAfter).toBe(retryAfter)
    }
    // The refused backup code was not spent.
    const status = await call('GET', '/api/two-factor', { token: sessionToken })
    expect(status.body.backupCodes.remaining).toBe(9)
  })

  it('mails (backup code used, account locked) reach the outbox, without errors', async () => {
    // Sent through waitUntil after the response; the outbox mailer logs each message.
    await expect.poll(() => worker.output(), { timeout: 5_000 }).toMatch(/mail to ada@example/)
    expect(worker.output()).not.toMatch(/unexpected error|background task failed|cannot start/)
  })

  it('counts the day’s figures on D1 (GET /api/admin/stats/daily)', async () => {
    // Two days, should the run cross midnight UTC; ada is the admin (the first account).
    const daily = await call('GET', '/api/admin/stats/daily?days=2', { token: sessionToken })
    expect(daily.status).toBe(200)
    expect(daily.body.days).toHaveLength(2)
    expect(daily.body.days[1].date).toBe(new Date().toISOString().slice(0, 10))
    const sum = (key: string) =>
      daily.body.days.reduce((total: number, day: Record<string, number>) => total + day[key]!, 0)
    expect(daily.body.days[1].twoFactorUsers).toBe(1)
    // Failed: the replayed TOTP code, then the ten wrong codes of the lockout.
    expect({
      enabled: sum('enabled'),
      failedAttempts: sum('failedAttempts'),
      lockouts: sum('lockouts'),
      backupCodesUsed: sum('backupCodesUsed'),
    }).toEqual({ enabled: 1, failedAttempts: 11, lockouts: 1, backupCodesUsed: 1 })
  })
})

describe('Worker on D1 under load and on its Cron Trigger', () => {
  it('answers a burst of 120 parallel database requests without a 5xx, then still signs in', async () => {
    await expectBurstSurvived(worker.url, call)
  })

  it('runs the scheduled purge without errors', async () => {
    const response = await fetch(`${worker.url}/__scheduled?cron=17+*+*+*+*`)
    expect(response.status).toBe(200)
    await expect.poll(() => worker.output(), { timeout: 5_000 }).toMatch(/purged expired rows/)
    expect(worker.output()).not.toMatch(/purge failed|unexpected error/)
  })
})
