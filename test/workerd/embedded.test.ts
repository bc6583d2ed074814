/**
 * Embedded mode in workerd: a host Worker (test/workerd/embedded-host) with its own `users` and
 * `sessions` on a local D1 that had them before `wrangler d1 migrations apply` added Twofold's
 * tables. Over HTTP: login without 2FA, enrolment, login → challenge → the host's session only
 * after the code (or a passkey's assertion), replay refused, admin 403 for a non-admin, the
 * host's users untouched.
 */
import { generate } from 'otplib'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VirtualPasskey } from '../api/virtual-authenticator'
import { HOST_SCHEMA, hashPassword } from '../../examples/hono-existing-app/server/host'
import { ROOT, runWrangler, startDevWorker, type DevWorker } from './wrangler'

const CONFIG = join(ROOT, 'test/workerd/embedded-host/wrangler.toml')
const PASSWORD = 'correct horse battery'
const ADA = 'ada@example.com'
const BOB = 'bob@example.com'

let worker: DevWorker
let persistTo: string

const d1 = (...args: string[]) =>
  runWrangler(['d1', ...args, '--local', '--persist-to', persistTo, '--config', CONFIG])
const query = async (sql: string) =>
  JSON.parse(await d1('execute', 'DB', '--json', '--command', sql))[0].results as Record<
    string,
    unknown
  >[]

/** A browser against the Worker: keeps the cookies it is given. */
function browser() {
  const jar = new Map<string, string>()
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${worker.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (value) jar.set(name.trim(), value)
      else jar.delete(name.trim())
    }
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null, jar }
  }
}

let hostUsersBefore: unknown[]

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), 'twofold-embedded-d1-'))
  // The host's tables and accounts come first; then Twofold's migrations, the wrangler way.
  const hash = await hashPassword(PASSWORD)
  const seed = join(persistTo, 'host.sql')
  writeFileSync(
    seed,
    [
      ...HOST_SCHEMA.map((statement) => `${statement};`),
      `INSERT INTO users (email, name, password_hash, is_admin) VALUES
        ('${ADA}', 'Ada Lovelace', '${hash}', 1), ('${BOB}', 'Bob Builder', '${hash}', 0);`,
    ].join('\n'),
  )
  await d1('execute', 'DB', '--file', seed)
  hostUsersBefore = await query('SELECT * FROM users ORDER BY id')
  const applied = await d1('migrations', 'apply', 'DB')
  expect(applied).toMatch(/0000_init/)
  worker = await startDevWorker({ persistTo, migrateD1: false, config: CONFIG })
})

afterAll(async () => {
  await worker?.stop()
})

describe('embedded in a host Worker on D1', () => {
  it('signs in without 2FA, enrolls, then asks for the code before the host session exists; replay refused; admin only for the host’s admins', async () => {
    const bob = browser()
    const plain = await bob('POST', '/login', { email: BOB, password: PASSWORD })
    expect(plain.body).toMatchObject({ status: 'authenticated', user: { twoFactorEnabled: false } })
    expect(plain.jar.has('app_session')).toBe(true)
    const forbidden = await bob('GET', '/api/admin/users')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.code).toBe('FORBIDDEN')
    expect(
      (await bob('POST', '/api/auth/sign-in', { email: BOB, password: PASSWORD })).status,
    ).toBe(404)

    const ada = browser()
    await ada('POST', '/login', { email: ADA, password: PASSWORD })
    const setup = await ada('POST', '/api/two-factor/setup')
    expect(setup.status).toBe(200)
    const code = await generate({ secret: setup.body.secret })
    const verify = await ada('POST', '/api/two-factor/setup/verify', { code })
    expect(verify.status).toBe(200)
    const backupCodes: string[] = verify.body.backupCodes

    const sessions = async () => Number((await query('SELECT count(*) AS n FROM sessions'))[0]!.n)
    const before = await sessions()
    const again = browser()
    const login = await again('POST', '/login', { email: ADA, password: PASSWORD })
    expect(login.body.status).toBe('two_factor_required')
    expect(login.jar.has('app_session')).toBe(false)
    expect(await sessions()).toBe(before)

    // The code that confirmed the setup, once more: a replay.
    const challengeToken = login.body.challenge.token
    const replay = await again('POST', '/api/auth/sign-in/two-factor', { challengeToken, code })
    expect(replay.status).toBe(401)
    expect(await sessions()).toBe(before)

    const passed = await again('POST', '/api/auth/sign-in/two-factor', {
      challengeToken,
      code: backupCodes[0],
    })
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({
      status: 'authenticated',
      method: 'backup_code',
      session: { expiresAt: expect.any(String) },
    })
    expect(passed.jar.has('app_session')).toBe(true)
    expect(await sessions()).toBe(before + 1)
    expect((await again('GET', '/me')).body.user.email).toBe(ADA)

    const listing = await again('GET', '/api/admin/users')
    expect(listing.status).toBe(200)
    expect(listing.body.users.map((u: { email: string }) => u.email).sort()).toEqual([ADA, BOB])

    // The same backup code on a new challenge: refused.
    const third = await browser()('POST', '/login', { email: ADA, password: PASSWORD })
    const reused = await again('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: third.body.challenge.token,
      code: backupCodes[0],
    })
    expect(reused.status).toBe(401)
  })

  it('leaves the host’s users table as it was, and keeps the TOTP secret out of D1 in clear', async () => {
    expect(await query('SELECT * FROM users ORDER BY id')).toEqual(hostUsersBefore)
    const ours = await query('SELECT id, password_hash FROM twofold_users ORDER BY id')
    expect(ours).toEqual([
      { id: '1', password_hash: null },
      { id: '2', password_hash: null },
    ])
    const [factor] = await query('SELECT secret_ciphertext FROM twofold_authenticators')
    expect(String(factor!.secret_ciphertext)).not.toMatch(/^[A-Z2-7]{16,}$/)
  })

  it('signs in with a passkey: options for the challenge, the host’s session only after the assertion; a replay refused', async () => {
    const bob = browser()
    await bob('POST', '/login', { email: BOB, password: PASSWORD })
    const { origin, hostname } = new URL(worker.url)
    const key = new VirtualPasskey({ origin, rpId: hostname })
    const creation = await bob('POST', '/api/two-factor/passkeys/options')
    expect(creation.status).toBe(200)
    const registered = await bob('POST', '/api/two-factor/passkeys', {
      name: 'Laptop',
      credential: key.register(creation.body.options),
    })
    expect(registered.status).toBe(201)
    expect(registered.body.backupCodes).toHaveLength(10)

    const login = async () => {
      const visitor = browser()
      const res = await visitor('POST', '/login', { email: BOB, password: PASSWORD })
      expect(res.body.status).toBe('two_factor_required')
      expect(res.body.challenge.methods).toContain('passkey')
      const challengeToken = res.body.challenge.token as string
      const options = await visitor('POST', '/api/auth/sign-in/two-factor/passkey', {
        challengeToken,
      })
      expect(options.status).toBe(200)
      expect(options.body.options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([
        key.id,
      ])
      return { visitor, challengeToken, options: options.body.options }
    }
    const first = await login()
    const assertion = key.assert(first.options)
    const passed = await first.visitor('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: first.challengeToken,
      method: 'passkey',
      credential: assertion,
    })
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({ status: 'authenticated', method: 'passkey' })
    expect(passed.jar.has('app_session')).toBe(true)
    expect((await first.visitor('GET', '/me')).body.user.email).toBe(BOB)

    const second = await login()
    const replay = await second.visitor('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: second.challengeToken,
      method: 'passkey',
      credential: assertion,
    })
    expect([replay.status, replay.body.error?.code]).toEqual([401, 'INVALID_CODE'])
    expect(replay.jar.has('app_session')).toBe(false)
  })
})
