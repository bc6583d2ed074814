/**
 * Round trips to D1 per sign-in step, counted in workerd: the real Worker behind a test entry
 * (counting-worker.ts) that wraps its D1 binding. A second step is one read and one batch (one
 * transaction); the batch's conditional statements see each other's effects (the session it
 * inserted works, the failure it counted shows in the next answer).
 */
import { generate } from 'otplib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { apiClient } from './http'
import { startDevWorker, type DevWorker } from './wrangler'

let worker: DevWorker
const call = apiClient(() => worker.url)

beforeAll(async () => {
  worker = await startDevWorker({ entry: 'test/workerd/counting-worker.ts' })
})

afterAll(async () => {
  await worker?.stop()
})

interface DbCalls {
  roundTrips: number
  batches: number
  statements: number
  sql: string[]
}
const dbCalls = async () => (await fetch(`${worker.url}/__db-calls`)).json() as Promise<DbCalls>
const totp = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 })

it('on D1 a second step is 1 read + 1 batch, right or wrong; sending a code too', async () => {
  const email = 'ada@example.com'
  const password = 'correct horse battery'
  const signUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
  expect(signUp.status).toBe(201)
  const token = signUp.body.session.token as string
  const setup = await call('POST', '/api/two-factor/setup', { token })
  const secret = setup.body.secret as string
  const verify = await call('POST', '/api/two-factor/setup/verify', {
    token,
    body: { code: await totp(secret) },
  })
  expect(verify.status).toBe(200)
  const signIn = await call('POST', '/api/auth/sign-in', { body: { email, password } })
  const challengeToken = signIn.body.challenge.token as string

  await dbCalls()
  const sent = await call('POST', '/api/auth/sign-in/two-factor/email', {
    body: { challengeToken },
  })
  expect(sent.status).toBe(202)
  // The default mailer's outbox row is the mail's own write, in the background (waitUntil).
  await new Promise((r) => setTimeout(r, 200))
  const sending = await dbCalls()
  const mail = sending.sql.filter((sql) => /twofold_outbox/.test(sql)).length
  expect(mail).toBe(1)
  expect({ ...sending, roundTrips: sending.roundTrips - mail }).toMatchObject({
    roundTrips: 2,
    batches: 1,
  })

  const near = await Promise.all([-1, 0, 1, 2].map((k) => totp(secret, k)))
  const wrongCode = ['000000', '111111', '222222'].find((c) => !near.includes(c))!
  const wrong = await call('POST', '/api/auth/sign-in/two-factor', {
    body: { challengeToken, code: wrongCode, method: 'totp' },
  })
  expect(wrong.status).toBe(401)
  expect(wrong.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
  expect(await dbCalls()).toMatchObject({ roundTrips: 2, batches: 1 })

  // The next step's code (the enrollment claimed the current one).
  const passed = await call('POST', '/api/auth/sign-in/two-factor', {
    body: { challengeToken, code: await totp(secret, 1), method: 'totp' },
  })
  expect(passed.status).toBe(200)
  const calls = await dbCalls()
  expect(calls).toMatchObject({ roundTrips: 2, batches: 1 })
  expect(calls.statements).toBe(9)

  // The session the batch inserted (only because its claims took effect) is live.
  const session = await call('GET', '/api/auth/session', { token: passed.body.session.token })
  expect(session.status).toBe(200)
  // The challenge was consumed in the same batch: the code cannot be used again.
  const again = await call('POST', '/api/auth/sign-in/two-factor', {
    body: { challengeToken, code: await totp(secret, 1), method: 'totp' },
  })
  expect(again.status).toBe(401)
  expect(again.body.error.code).toBe('INVALID_CHALLENGE')
})
