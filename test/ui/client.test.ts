import { describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  createTwoFactorClient,
  webStorageTokenStore,
  type TwoFactorClient,
} from '../../ui'
import { API_PATHS as P, apiPath } from '../../shared/api-paths'
import {
  authenticationCredential,
  challenge,
  PASSWORD,
  registrationCredential,
  VALID_CODE,
} from '../msw/fixtures'
import { failing } from '../msw/handlers'
import { server } from './server'

interface Call {
  url: string
  method: string
  headers: Record<string, string>
  credentials?: RequestCredentials
  body?: unknown
}

function recordingClient(options: Parameters<typeof createTwoFactorClient>[0] = {}) {
  const calls: Call[] = []
  const fetch = vi.fn(async (url: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({
      url: String(url),
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      credentials: init.credentials,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    })
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })
  })
  return {
    client: createTwoFactorClient({ baseUrl: 'https://api.test/', fetch, ...options }),
    calls,
  }
}

const routes: Array<[string, (c: TwoFactorClient) => Promise<unknown>, string, string, unknown?]> =
  [
    [
      'sign-up',
      (c) => c.auth.signUp({ email: 'a@b.c', password: 'x'.repeat(8) }),
      'POST',
      P.auth.signUp,
      { email: 'a@b.c', password: 'xxxxxxxx' },
    ],
    [
      'sign-in',
      (c) => c.auth.signIn({ email: 'a@b.c', password: 'p' }),
      'POST',
      P.auth.signIn,
      { email: 'a@b.c', password: 'p' },
    ],
    [
      'second step',
      (c) => c.auth.verifyTwoFactor({ challengeToken: 't', code: '1', rememberDevice: true }),
      'POST',
      P.auth.signInTwoFactor,
      { challengeToken: 't', code: '1', rememberDevice: true },
    ],
    [
      'email code',
      (c) => c.auth.sendEmailCode({ challengeToken: 't' }),
      'POST',
      P.auth.signInEmailCode,
      { challengeToken: 't' },
    ],
    ['sign-out', (c) => c.auth.signOut(), 'POST', P.auth.signOut],
    ['session', (c) => c.auth.getSession(), 'GET', P.auth.session],
    [
      'change password',
      (c) => c.auth.changePassword({ currentPassword: 'old', newPassword: 'n'.repeat(8) }),
      'POST',
      P.auth.password,
      { currentPassword: 'old', newPassword: 'nnnnnnnn' },
    ],
    ['status', (c) => c.twoFactor.getStatus(), 'GET', P.twoFactor.status],
    ['setup', (c) => c.twoFactor.startSetup(), 'POST', P.twoFactor.setup],
    [
      'verify setup',
      (c) => c.twoFactor.verifySetup({ code: '1' }),
      'POST',
      P.twoFactor.setupVerify,
      { code: '1' },
    ],
    [
      'disable',
      (c) => c.twoFactor.disable({ code: '1' }),
      'POST',
      P.twoFactor.disable,
      { code: '1' },
    ],
    ['list codes', (c) => c.twoFactor.listBackupCodes(), 'GET', P.twoFactor.backupCodes],
    [
      'new codes',
      (c) => c.twoFactor.regenerateBackupCodes({ code: '1' }),
      'POST',
      P.twoFactor.backupCodes,
      { code: '1' },
    ],
    ['devices', (c) => c.twoFactor.listTrustedDevices(), 'GET', P.twoFactor.trustedDevices],
    [
      'revoke one',
      (c) => c.twoFactor.revokeTrustedDevice('dev/1'),
      'DELETE',
      `${P.twoFactor.trustedDevices}/dev%2F1`,
    ],
    [
      'revoke all',
      (c) => c.twoFactor.revokeAllTrustedDevices(),
      'DELETE',
      P.twoFactor.trustedDevices,
    ],
    ['events', (c) => c.twoFactor.listEvents(), 'GET', P.twoFactor.events],
    [
      'users',
      (c) =>
        c.admin.listUsers({ q: 'ada', twoFactor: 'enabled', role: 'admin', page: 2, pageSize: 5 }),
      'GET',
      `${P.admin.users}?q=ada&twoFactor=enabled&role=admin&page=2&pageSize=5`,
    ],
    [
      'role',
      (c) => c.admin.setRole('u1', { role: 'admin' }),
      'PATCH',
      apiPath(P.admin.user, { id: 'u1' }),
      { role: 'admin' },
    ],
    [
      'reset',
      (c) => c.admin.resetTwoFactor('u1', { reason: 'lost' }),
      'POST',
      apiPath(P.admin.userReset, { id: 'u1' }),
      { reason: 'lost' },
    ],
    ['unlock', (c) => c.admin.unlockUser('u1'), 'POST', apiPath(P.admin.userUnlock, { id: 'u1' })],
    ['policy', (c) => c.admin.getPolicy(), 'GET', P.admin.policy],
    [
      'put policy',
      (c) => c.admin.updatePolicy({ enforce: 'all', gracePeriodDays: 7 }),
      'PUT',
      P.admin.policy,
      { enforce: 'all', gracePeriodDays: 7 },
    ],
    ['stats', (c) => c.admin.getStats(), 'GET', P.admin.stats],
    [
      'daily stats',
      (c) => c.admin.getDailyStats({ days: 90 }),
      'GET',
      `${P.admin.dailyStats}?days=90`,
    ],
    [
      'audit',
      (c) => c.admin.listAudit({ userId: 'u1', action: 'sign_in' }),
      'GET',
      `${P.admin.audit}?userId=u1&action=sign_in`,
    ],
    ['outbox', (c) => c.admin.listOutbox(), 'GET', P.admin.outbox],
    [
      'sign-in passkey options',
      (c) => c.auth.passkeyOptions({ challengeToken: 't' }),
      'POST',
      '/api/auth/sign-in/two-factor/passkey',
      { challengeToken: 't' },
    ],
    [
      'second step with a passkey',
      (c) =>
        c.auth.verifyTwoFactor({
          challengeToken: 't',
          method: 'passkey',
          credential: authenticationCredential(),
          rememberDevice: true,
        }),
      'POST',
      '/api/auth/sign-in/two-factor',
      {
        challengeToken: 't',
        method: 'passkey',
        credential: authenticationCredential(),
        rememberDevice: true,
      },
    ],
    [
      'authenticators',
      (c) => c.twoFactor.listAuthenticators(),
      'GET',
      '/api/two-factor/authenticators',
    ],
    [
      'add app',
      (c) => c.twoFactor.addAuthenticator({ type: 'totp', name: 'Phone' }),
      'POST',
      '/api/two-factor/authenticators',
      { type: 'totp', name: 'Phone' },
    ],
    [
      'verify app',
      (c) => c.twoFactor.verifyAuthenticator('a/1', { code: '1' }),
      'POST',
      '/api/two-factor/authenticators/a%2F1/verify',
      { code: '1' },
    ],
    [
      'rename',
      (c) => c.twoFactor.renameAuthenticator('a1', { name: 'Key' }),
      'PATCH',
      '/api/two-factor/authenticators/a1',
      { name: 'Key' },
    ],
    [
      'remove',
      (c) => c.twoFactor.removeAuthenticator('a1'),
      'DELETE',
      '/api/two-factor/authenticators/a1',
    ],
    [
      'passkey options',
      (c) => c.twoFactor.passkeyOptions(),
      'POST',
      '/api/two-factor/passkeys/options',
    ],
    [
      'register passkey',
      (c) => c.twoFactor.registerPasskey({ name: 'Key', credential: registrationCredential() }),
      'POST',
      '/api/two-factor/passkeys',
      { name: 'Key', credential: registrationCredential() },
    ],
    [
      'step-up with a code',
      (c) => c.twoFactor.stepUp({ code: '1' }),
      'POST',
      '/api/two-factor/step-up',
      { code: '1' },
    ],
    [
      'step-up with a passkey',
      (c) => c.twoFactor.stepUp({ method: 'passkey', credential: authenticationCredential() }),
      'POST',
      '/api/two-factor/step-up',
      { method: 'passkey', credential: authenticationCredential() },
    ],
    [
      'step-up passkey options',
      (c) => c.twoFactor.stepUpPasskeyOptions(),
      'POST',
      '/api/two-factor/step-up/passkey',
    ],
    ['disable within a step-up window', (c) => c.twoFactor.disable(), 'POST', P.twoFactor.disable],
    [
      'new codes within a step-up window',
      (c) => c.twoFactor.regenerateBackupCodes(),
      'POST',
      P.twoFactor.backupCodes,
    ],
  ]

describe('createTwoFactorClient', () => {
  it.each(routes)('%s: method, path and JSON body', async (_name, call, method, path, body) => {
    const { client, calls } = recordingClient()
    await call(client)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      method,
      url: `https://api.test${path}`,
      credentials: 'include',
    })
    expect(calls[0].body).toEqual(body)
    expect(calls[0].headers['content-type']).toBe(
      body === undefined ? undefined : 'application/json',
    )
  })

  it('sends a bearer token from getToken and honours credentials', async () => {
    const { client, calls } = recordingClient({ getToken: async () => 'tok', credentials: 'omit' })
    await client.auth.getSession()
    expect(calls[0].headers.authorization).toBe('Bearer tok')
    expect(calls[0].credentials).toBe('omit')
  })

  it('turns the error shape into an ApiError with every field', async () => {
    server.use(
      failing('post', P.auth.signInTwoFactor, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 42 }),
    )
    const client = createTwoFactorClient()
    const error = await client.auth
      .verifyTwoFactor({ challengeToken: challenge.token, code: VALID_CODE })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429, retryAfter: 42 })
  })

  it('carries attemptsRemaining and issues', async () => {
    const client = createTwoFactorClient()
    const wrong = await client.auth
      .verifyTwoFactor({ challengeToken: challenge.token, code: '000000' })
      .catch((caught: unknown) => caught)
    expect(wrong).toMatchObject({ code: 'INVALID_CODE', status: 401, attemptsRemaining: 4 })
    const invalid = await client.admin
      .updatePolicy({ enforce: 'all', gracePeriodDays: 365 })
      .catch((caught: unknown) => caught)
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 })
    expect((invalid as ApiError).issues?.[0].path).toEqual(['gracePeriodDays'])
  })

  it('reads Retry-After when the body has no retryAfter, and survives a non-JSON body', async () => {
    const fetch = async () => new Response('busy', { status: 429, headers: { 'retry-after': '9' } })
    const error = await createTwoFactorClient({ fetch })
      .auth.getSession()
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429, retryAfter: 9 })
  })

  it('makes network failures an ApiError NETWORK_ERROR with status 0', async () => {
    const fetch = async () => {
      throw new TypeError('Failed to fetch')
    }
    const error = await createTwoFactorClient({ fetch })
      .twoFactor.getStatus()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
    expect((error as ApiError).cause).toBeInstanceOf(TypeError)
  })

  it('changes the password: 204 is undefined, a wrong current password INVALID_CREDENTIALS', async () => {
    const client = createTwoFactorClient()
    const newPassword = 'a new long password'
    await expect(
      client.auth.changePassword({ currentPassword: PASSWORD, newPassword }),
    ).resolves.toBeUndefined()
    await expect(
      client.auth.changePassword({ currentPassword: 'wrong', newPassword }),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 })
  })

  it('answers undefined for 204', async () => {
    const client = createTwoFactorClient()
    await expect(client.twoFactor.revokeAllTrustedDevices()).resolves.toBeUndefined()
  })
})

/** A fake API that answers each path with the next queued [status, body], recording headers. */
function scriptedClient(options: Parameters<typeof createTwoFactorClient>[0]) {
  const sent: Array<{ path: string; authorization?: string }> = []
  const answers: Array<[number, unknown]> = []
  const fetch = vi.fn(async (url: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = init.headers as Record<string, string>
    sent.push({ path: new URL(String(url)).pathname, authorization: headers.authorization })
    const [status, body] = answers.shift() ?? [200, {}]
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  })
  const client = createTwoFactorClient({ baseUrl: 'https://api.test', fetch, ...options })
  return { client, sent, answer: (status: number, body: unknown) => answers.push([status, body]) }
}

const user = {
  id: 'u1',
  email: 'ada@example.com',
  name: null,
  role: 'user',
  twoFactorEnabled: true,
}
const session = (token: string) => ({ token, expiresAt: '2026-12-08T00:00:00.000Z' })
const unauthorized = { error: { code: 'UNAUTHORIZED', message: 'You need to sign in.' } }

describe('createTwoFactorClient in Bearer mode', () => {
  it('keeps the token from sign-in, sends it as Bearer, and forgets it on sign-out', async () => {
    const { client, sent, answer } = scriptedClient({ bearer: true })
    answer(200, { status: 'authenticated', user, session: session('tok-1') })
    await client.auth.signIn({ email: user.email, password: 'pw' })
    await client.auth.getSession()
    answer(204, null)
    await client.auth.signOut()
    await client.auth.getSession()
    expect(sent.map((call) => call.authorization)).toEqual([
      undefined,
      'Bearer tok-1',
      'Bearer tok-1',
      undefined,
    ])
  })

  it('keeps the token of the second step, not the challenge token', async () => {
    const { client, sent, answer } = scriptedClient({ bearer: true })
    answer(200, { status: 'two_factor_required', challenge })
    await client.auth.signIn({ email: user.email, password: 'pw' })
    await client.twoFactor.getStatus()
    answer(200, { status: 'authenticated', user, session: session('tok-2'), method: 'totp' })
    await client.auth.verifyTwoFactor({ challengeToken: challenge.token, code: VALID_CODE })
    await client.twoFactor.getStatus()
    expect(sent.map((call) => call.authorization)).toEqual([
      undefined,
      undefined,
      undefined,
      'Bearer tok-2',
    ])
  })

  it('forgets the token when the API says the session is over, not on a wrong code', async () => {
    const { client, sent, answer } = scriptedClient({ bearer: true })
    answer(201, { user, session: session('tok-3') })
    await client.auth.signUp({ email: user.email, password: 'a long password' })
    answer(401, { error: { code: 'INVALID_CODE', message: 'The code is not valid.' } })
    await expect(client.twoFactor.disable({ code: '000000' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
    })
    answer(401, unauthorized)
    await expect(client.auth.getSession()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await client.twoFactor.getStatus().catch(() => {})
    expect(sent.map((call) => call.authorization)).toEqual([
      undefined,
      'Bearer tok-3',
      'Bearer tok-3',
      undefined,
    ])
  })

  it('keeps the token in Web Storage for the next client, and not at all without bearer', async () => {
    sessionStorage.clear()
    const first = scriptedClient({ bearer: webStorageTokenStore(sessionStorage) })
    first.answer(200, { status: 'authenticated', user, session: session('tok-4') })
    await first.client.auth.signIn({ email: user.email, password: 'pw' })
    expect(sessionStorage.getItem('twofold.session')).toBe('tok-4')
    const second = scriptedClient({ bearer: webStorageTokenStore(sessionStorage) })
    await second.client.auth.getSession()
    expect(second.sent[0].authorization).toBe('Bearer tok-4')

    const cookies = scriptedClient({})
    cookies.answer(200, { status: 'authenticated', user, session: session('tok-5') })
    await cookies.client.auth.signIn({ email: user.email, password: 'pw' })
    await cookies.client.auth.getSession()
    expect(cookies.sent[1].authorization).toBeUndefined()
    sessionStorage.clear()
  })
})
