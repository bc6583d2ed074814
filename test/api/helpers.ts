/**
 * A real, migrated libSQL database in a temp file per app, a movable clock, and small helpers
 * that speak the HTTP contract.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createApp, type CreateAppOptions } from '../../api/app'
import { openLibsql } from '../../api/db/libsql'
import { generateServerSecret } from '../../api/lib/crypto'
import { totpAt } from '../../api/lib/totp'

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 5)

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

export interface TestApp extends Awaited<ReturnType<typeof makeApp>> {}

export async function makeApp(options: Partial<CreateAppOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-test-'))
  dirs.push(dir)
  const file = join(dir, 'test.db')
  const { db, client } = await openLibsql({ url: `file:${file}` })
  const clock = { now: T0 }
  const secret = options.secret ?? generateServerSecret()
  const app = createApp({ db, secret, now: () => clock.now, issuer: 'Twofold Test', ...options })

  async function call(
    method: string,
    path: string,
    init: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers }
    if (init.body !== undefined || init.raw !== undefined)
      headers['content-type'] ??= 'application/json'
    if (init.token) headers.authorization = `Bearer ${init.token}`
    const response = await app.request(path, {
      method,
      headers,
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    })
    const text = await response.text()
    let body: any = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = text
    }
    return {
      status: response.status,
      body,
      headers: response.headers,
      cookies: response.headers.getSetCookie(),
    }
  }

  async function signUp(
    email = `user${Math.random().toString(36).slice(2, 8)}@example.com`,
    password = 'correct horse',
  ) {
    const res = await call('POST', '/api/auth/sign-up', { body: { email, password } })
    if (res.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(res.body)}`)
    return { email, password, token: res.body.session.token as string, user: res.body.user }
  }

  /** Enrolls TOTP for a signed-in user; returns the secret and the backup codes. */
  async function enroll(token: string) {
    const setup = await call('POST', '/api/two-factor/setup', { token })
    if (setup.status !== 200) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`)
    const secret = setup.body.secret as string
    const verify = await call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: await totpAt(secret, clock.now) },
    })
    if (verify.status !== 200) throw new Error(`verify failed: ${JSON.stringify(verify.body)}`)
    return { secret, backupCodes: verify.body.backupCodes as string[], setup: setup.body }
  }

  /** Moves the clock by whole TOTP steps (30 s each). */
  const advance = (seconds: number) => {
    clock.now += seconds * 1000
  }

  const code = (secret: string, offsetSeconds = 0) =>
    totpAt(secret, clock.now + offsetSeconds * 1000)

  async function challenge(
    email: string,
    password = 'correct horse',
    headers?: Record<string, string>,
  ) {
    const res = await call('POST', '/api/auth/sign-in', { body: { email, password }, headers })
    if (res.body?.status !== 'two_factor_required')
      throw new Error(`expected a challenge: ${JSON.stringify(res.body)}`)
    return res.body.challenge.token as string
  }

  const settle = () => app.background.settled()

  return {
    app,
    db,
    client,
    file,
    clock,
    secret,
    call,
    signUp,
    enroll,
    advance,
    code,
    challenge,
    settle,
  }
}

/** Every error answer has the one shape. */
export function expectErrorShape(body: any) {
  if (!body || typeof body !== 'object' || !body.error)
    throw new Error(`not an error body: ${JSON.stringify(body)}`)
  if (!/^[A-Z_]+$/.test(body.error.code)) throw new Error(`bad code: ${body.error.code}`)
  if (typeof body.error.message !== 'string' || !body.error.message) throw new Error('no message')
}
