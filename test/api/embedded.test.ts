/**
 * Embedded mode over HTTP: the example host (examples/hono-existing-app) with its own `users`
 * and `sessions`, on a libSQL file that had the host's tables before `migrate(db)` added
 * Twofold's. The host's password login, Twofold's challenge, the host session made only by
 * `onSignIn`, self-service and admin decided by `getUser`, and the host's tables left alone.
 */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHostApp, seedHost } from '../../examples/hono-existing-app/server/host'
import { generateServerSecret } from '../../api/lib/crypto'
import { totpAt } from '../../api/lib/totp'
import { migrate } from '../../api/server'
import { T0 } from './helpers'

const PASSWORD = 'correct horse battery'
const ADA = 'ada@example.com' // the host's admin
const BOB = 'bob@example.com' // a host user

const dir = mkdtempSync(join(tmpdir(), 'twofold-embedded-'))
const file = join(dir, 'host.db')
let client: Client
let host: ReturnType<typeof createHostApp>
const clock = { now: T0 }
let hostUsersBefore: unknown[]

/** A browser: keeps the cookies the host and Twofold set. */
function browser() {
  const jar = new Map<string, string>()
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await host.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (!value || attributes.some((a) => /max-age=0/i.test(a))) jar.delete(name.trim())
      else jar.set(name.trim(), value)
    }
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null, jar }
  }
}

const rows = async (sql: string) => (await client.execute(sql)).rows.map((row) => ({ ...row }))
const hostSessions = async () => Number((await rows('SELECT count(*) AS n FROM sessions'))[0]!.n)

beforeAll(async () => {
  client = createClient({ url: `file:${file}` })
  await seedHost(client, PASSWORD) // the host's tables and rows come first
  hostUsersBefore = await rows('SELECT * FROM users ORDER BY id')
  await migrate(client)
  host = createHostApp({ db: client, secret: generateServerSecret(), now: () => clock.now })
})
afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})

let totpSecret: string
let backupCodes: string[]

describe('embedded in a host app with its own users and sessions', () => {
  it('signs a user without 2FA in with the host’s password alone; the host makes the session', async () => {
    const bob = browser()
    const login = await bob('POST', '/login', { email: BOB, password: PASSWORD })
    expect(login.status).toBe(200)
    expect(login.body).toMatchObject({
      status: 'authenticated',
      user: { email: BOB, role: 'user', twoFactorEnabled: false },
    })
    expect(login.body.session).toBeUndefined() // no Twofold session: the host has its own
    expect(login.jar.has('app_session')).toBe(true)
    expect((await bob('GET', '/me')).body.user.email).toBe(BOB)
    const status = await bob('GET', '/api/two-factor')
    expect(status.status).toBe(200)
    expect(status.body.enabled).toBe(false)

    const wrong = await browser()('POST', '/login', { email: BOB, password: 'not it at all' })
    expect(wrong.status).toBe(401)
  })

  it('the host’s own routes stay the host’s: Twofold’s account paths answer 404', async () => {
    const bob = browser()
    await bob('POST', '/login', { email: BOB, password: PASSWORD })
    for (const [method, path] of [
      ['POST', '/api/auth/sign-up'],
      ['POST', '/api/auth/sign-in'],
      ['POST', '/api/auth/sign-out'],
      ['GET', '/api/auth/session'],
      ['POST', '/api/auth/password'],
    ] as const) {
      const body = method === 'POST' ? { email: BOB, password: PASSWORD } : undefined
      const res = await bob(method, path, body)
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({
        path,
        status: 404,
        code: 'NOT_FOUND',
      })
    }
  })

  it('self-service needs the host’s session: without one, 401', async () => {
    const anonymous = browser()
    expect((await anonymous('GET', '/api/two-factor')).status).toBe(401)
    expect((await anonymous('POST', '/api/two-factor/setup')).status).toBe(401)
  })

  it('enrolls an authenticator through the mounted routes', async () => {
    const ada = browser()
    await ada('POST', '/login', { email: ADA, password: PASSWORD })
    const setup = await ada('POST', '/api/two-factor/setup')
    expect(setup.status).toBe(200)
    totpSecret = setup.body.secret
    expect(setup.body.otpauthUri).toContain('issuer=Existing%20App')
    const verify = await ada('POST', '/api/two-factor/setup/verify', {
      code: await totpAt(totpSecret, clock.now),
    })
    expect(verify.status).toBe(200)
    backupCodes = verify.body.backupCodes
    expect(backupCodes).toHaveLength(10)
    expect((await ada('GET', '/api/two-factor')).body.enabled).toBe(true)
  })

  it('login → challenge → the host session is created only after the code; replay refused', async () => {
    clock.now += 60_000
    const ada = browser()
    const sessionsBefore = await hostSessions()
    const login = await ada('POST', '/login', { email: ADA, password: PASSWORD })
    expect(login.body.status).toBe('two_factor_required')
    expect(login.body.challenge.methods).toEqual(expect.arrayContaining(['totp', 'backup_code']))
    expect(login.jar.has('app_session')).toBe(false)
    expect(await hostSessions()).toBe(sessionsBefore)
    expect((await ada('GET', '/me')).body.user).toBeNull()

    const challengeToken = login.body.challenge.token
    // The emailed-code fallback is Twofold's route, mounted with the rest.
    const emailed = await ada('POST', '/api/auth/sign-in/two-factor/email', { challengeToken })
    expect(emailed.status).toBe(202)
    expect(emailed.body.sentTo).toMatch(/^a.*@example\.com$/)
    const wrong = await ada('POST', '/api/auth/sign-in/two-factor', {
      challengeToken,
      code: '000000',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    expect(await hostSessions()).toBe(sessionsBefore)

    const code = await totpAt(totpSecret, clock.now)
    const passed = await ada('POST', '/api/auth/sign-in/two-factor', { challengeToken, code })
    expect(passed.status).toBe(200)
    expect(passed.body).toMatchObject({
      status: 'authenticated',
      method: 'totp',
      user: { email: ADA, role: 'admin', twoFactorEnabled: true },
      // What the host's onSignIn returned.
      session: { expiresAt: expect.any(String) },
    })
    expect(passed.jar.has('app_session')).toBe(true)
    expect(await hostSessions()).toBe(sessionsBefore + 1)
    expect((await ada('GET', '/me')).body.user.email).toBe(ADA)

    // The same challenge again, and the same code on a new challenge: both refused.
    const again = await ada('POST', '/api/auth/sign-in/two-factor', { challengeToken, code })
    expect(again.status).toBe(401)
    expect(again.body.error.code).toBe('INVALID_CHALLENGE')
    const other = browser()
    const second = await other('POST', '/login', { email: ADA, password: PASSWORD })
    const replay = await other('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: second.body.challenge.token,
      code,
    })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('INVALID_CODE')
    expect(await hostSessions()).toBe(sessionsBefore + 1)

    // A backup code works once.
    const third = await other('POST', '/login', { email: ADA, password: PASSWORD })
    const backup = await other('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: third.body.challenge.token,
      code: backupCodes[0],
    })
    expect(backup.body).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 })
  })

  it('a trusted device skips the challenge on the host’s login', async () => {
    clock.now += 60_000
    const ada = browser()
    const login = await ada('POST', '/login', { email: ADA, password: PASSWORD })
    const passed = await ada('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: login.body.challenge.token,
      code: await totpAt(totpSecret, clock.now),
      rememberDevice: true,
    })
    expect(passed.status).toBe(200)
    expect(passed.jar.has('twofold_device')).toBe(true)
    await ada('POST', '/logout')
    const trusted = await ada('POST', '/login', { email: ADA, password: PASSWORD })
    expect(trusted.body).toMatchObject({ status: 'authenticated', user: { email: ADA } })
    expect(trusted.jar.has('app_session')).toBe(true)
  })

  it('admin routes: 403 for a non-admin host user; the host’s admin sees the users Twofold has seen', async () => {
    const bob = browser()
    await bob('POST', '/login', { email: BOB, password: PASSWORD })
    const forbidden = await bob('GET', '/api/admin/users')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.code).toBe('FORBIDDEN')

    clock.now += 60_000
    const ada = browser()
    const login = await ada('POST', '/login', { email: ADA, password: PASSWORD })
    await ada('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: login.body.challenge.token,
      code: await totpAt(totpSecret, clock.now),
    })
    const listing = await ada('GET', '/api/admin/users')
    expect(listing.status).toBe(200)
    const seen = listing.body.users.map((u: any) => [u.email, u.role, u.twoFactorEnabled])
    expect(seen.sort()).toEqual([
      [ADA, 'admin', true],
      [BOB, 'user', false],
    ])
    const search = await ada('GET', '/api/admin/users?q=builder')
    expect(search.body.users.map((u: any) => u.email)).toEqual([BOB])
    const audit = await ada('GET', '/api/admin/audit')
    expect(audit.status).toBe(200)
    expect(audit.body.events.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['sign_in', 'two_factor_enabled', 'two_factor_challenge_failed']),
    )
  })

  it('requireSetup fences the host’s own route after the grace period', async () => {
    const bob = browser()
    await bob('POST', '/login', { email: BOB, password: PASSWORD })
    expect((await bob('GET', '/dashboard')).status).toBe(200)

    clock.now += 60_000
    const ada = browser()
    const login = await ada('POST', '/login', { email: ADA, password: PASSWORD })
    await ada('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: login.body.challenge.token,
      code: await totpAt(totpSecret, clock.now),
    })
    const policy = await ada('PUT', '/api/admin/policy', { enforce: 'all', gracePeriodDays: 1 })
    expect(policy.status).toBe(200)

    // Within the grace period: the login says so, the page is served.
    const within = await browser()('POST', '/login', { email: BOB, password: PASSWORD })
    expect(within.body).toMatchObject({
      status: 'authenticated',
      twoFactorSetupRequired: true,
      setupDeadline: expect.any(String),
    })
    expect((await bob('GET', '/dashboard')).status).toBe(200)

    clock.now += 2 * 86_400_000
    const fenced = await bob('GET', '/dashboard')
    expect(fenced.status).toBe(403)
    expect(fenced.body.error.code).toBe('TWO_FACTOR_SETUP_REQUIRED')
    // Setup stays reachable; an enrolled admin is not fenced.
    expect((await bob('POST', '/api/two-factor/setup')).status).toBe(200)
    expect((await ada('GET', '/dashboard')).status).toBe(200)
    await ada('PUT', '/api/admin/policy', { enforce: 'off', gracePeriodDays: 0 })
  })

  it('leaves the host’s users table untouched; Twofold’s rows carry no password', async () => {
    expect(await rows('SELECT * FROM users ORDER BY id')).toEqual(hostUsersBefore)
    const ours = await rows('SELECT id, email, role, password_hash FROM twofold_users ORDER BY id')
    expect(ours).toEqual([
      { id: '1', email: ADA, role: 'admin', password_hash: null },
      { id: '2', email: BOB, role: 'user', password_hash: null },
    ])
  })

  it('keeps secrets out of the database file in clear', async () => {
    const bytes = readFileSync(file).toString('latin1')
    const wal = (() => {
      try {
        return readFileSync(`${file}-wal`).toString('latin1')
      } catch {
        return ''
      }
    })()
    for (const secret of [totpSecret, ...backupCodes]) {
      expect(bytes.includes(secret)).toBe(false)
      expect(wal.includes(secret)).toBe(false)
    }
    expect(totpSecret.length).toBeGreaterThan(15)
  })
})

describe('the host’s own routes beside the mounted ones', () => {
  it('are not Twofold’s business: no getUser call, no CSRF check, no Twofold headers', async () => {
    const { Hono } = await import('hono')
    const { createTwoFactor } = await import('../../api/server')
    let asked = 0
    const twoFactor = createTwoFactor({
      db: client,
      secret: generateServerSecret(),
      getUser: () => {
        asked++
        return null
      },
      onSignIn: () => null,
    })
    const app = new Hono()
    app.route('/api', twoFactor.routes)
    app.post('/api/notes', (c) => c.json({ saved: true }))
    const own = await app.request('/api/notes', {
      method: 'POST',
      headers: { origin: 'https://elsewhere.test', 'content-type': 'text/plain' },
      body: 'x'.repeat(20_000),
    })
    expect(own.status).toBe(200)
    expect(own.headers.get('cache-control')).toBeNull()
    expect(asked).toBe(0)

    const ours = await app.request('/api/two-factor/setup', {
      method: 'POST',
      headers: { origin: 'https://elsewhere.test' },
    })
    expect(ours.status).toBe(403)
    expect(((await ours.json()) as any).error.code).toBe('CSRF_FAILED')
    expect(asked).toBe(1)
  })
})

describe('the row Twofold keeps per host user', () => {
  it('follows what getUser says (email, name, role and when the role changed), no password', async () => {
    const { createTwoFactor } = await import('../../api/server')
    let me: { id: string; email: string; name?: string; role?: 'user' | 'admin' } | null = null
    const twoFactor = createTwoFactor({
      db: client,
      secret: generateServerSecret(),
      now: () => clock.now,
      getUser: () => me,
      onSignIn: () => null,
    })
    const row = async (id: string) =>
      (await rows(`SELECT email, name, role, role_since FROM twofold_users WHERE id = '${id}'`))[0]
    me = { id: 'h-1', email: 'carol@example.com', name: 'Carol' }
    expect((await twoFactor.routes.request('/two-factor')).status).toBe(200)
    const first = await row('h-1')
    expect(first).toMatchObject({ email: 'carol@example.com', name: 'Carol', role: 'user' })

    clock.now += 60_000
    me = { id: 'h-1', email: 'carol@new.example.com', name: 'Carol', role: 'admin' }
    await twoFactor.routes.request('/two-factor')
    expect(await row('h-1')).toEqual({
      email: 'carol@new.example.com',
      name: 'Carol',
      role: 'admin',
      role_since: clock.now,
    })
    // Another host user now holds Carol's old address: the stale row gives it up.
    me = { id: 'h-2', email: 'carol@new.example.com' }
    expect((await twoFactor.routes.request('/two-factor')).status).toBe(200)
    expect((await row('h-2'))!.email).toBe('carol@new.example.com')
    expect((await row('h-1'))!.email).not.toBe('carol@new.example.com')
  })
})
