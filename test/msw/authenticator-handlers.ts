import { http, HttpResponse } from 'msw'
import type {
  AddAuthenticatorBody,
  Authenticator,
  AuthenticatorList,
  AuthenticatorResponse,
  CodeBody,
  PasskeyAuthenticationOptions,
  PasskeyOptionsBody,
  PasskeyRegistered,
  PasskeyRegistrationBody,
  PasskeyRegistrationOptions,
  PendingAuthenticator,
  RenameAuthenticatorBody,
  StepUpBody,
  StepUpResponse,
} from '../../ui/client/types'
import { API_PATHS as P } from '../../shared/api-paths'
import * as f from './fixtures'
import { apiError, route } from './respond'
import { mockState } from './state'

const STEP_UP_MS = 10 * 60_000
/** An attestation the mock refuses as not verifying (400 INVALID_CREDENTIAL). */
export const INVALID_ATTESTATION = 'aW52YWxpZA'

export const isValidCode = (code: string) =>
  code === f.VALID_CODE ||
  code.replace(/[\s-]/g, '').toUpperCase() === f.VALID_BACKUP_CODE.replace('-', '')

/** Whether the session is within its step-up window. */
export const steppedUp = () => mockState.stepUpUntil > Date.now()

/** Names are 1 to 64 characters, trimmed; answers the name, or the 400 to send. */
function checkName(raw: unknown) {
  const name = typeof raw === 'string' ? raw.trim() : ''
  if (name.length >= 1 && name.length <= 64) return name
  return apiError(400, 'VALIDATION_FAILED', {
    issues: [{ path: ['name'], message: 'Enter 1 to 64 characters.' }],
  })
}

function confirmed(): Authenticator[] {
  return mockState.twoFactorEnabled ? mockState.authenticators : []
}

function findAuthenticator(id: unknown) {
  return confirmed().find((each) => each.id === id)
}

/** A passkey the user holds: its authenticator is marked used, as a verified assertion does. */
function knownPasskey(credentialId: string | undefined) {
  const id = credentialId ? mockState.passkeyIds[credentialId] : undefined
  const authenticator = findAuthenticator(id)
  if (authenticator) authenticator.lastUsedAt = new Date().toISOString()
  return authenticator
}

/**
 * The contract's authenticators, passkeys and step-up routes over {@link mockState}. Codes:
 * {@link f.VALID_CODE} and {@link f.VALID_BACKUP_CODE}; the passkey {@link f.PASSKEY_ID} is the
 * user's, any other credential id is a new passkey (registration) or a stranger's (assertion).
 */
export const authenticatorHandlers = [
  http.get(route(P.twoFactor.authenticators), () =>
    HttpResponse.json<AuthenticatorList>({ authenticators: confirmed() }),
  ),
  http.post(route(P.twoFactor.authenticators), async ({ request }) => {
    const body = (await request.json()) as AddAuthenticatorBody
    if (!mockState.twoFactorEnabled) return apiError(409, 'TWO_FACTOR_NOT_ENABLED')
    const name = checkName(body.name)
    if (typeof name !== 'string') return name
    const id = `auth_${mockState.authenticators.length + 1}_${Date.now()}`
    mockState.pendingAuthenticator = {
      id,
      type: 'totp',
      name,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
    }
    return HttpResponse.json<PendingAuthenticator>({ id, ...f.setupResponse }, { status: 201 })
  }),
  http.post(route(P.twoFactor.authenticatorVerify), async ({ params, request }) => {
    const { code } = (await request.json()) as CodeBody
    const pending = mockState.pendingAuthenticator
    if (!pending || pending.id !== params.id) return apiError(404, 'NOT_FOUND')
    if (code !== f.VALID_CODE) return apiError(401, 'INVALID_CODE')
    mockState.authenticators.push(pending)
    mockState.pendingAuthenticator = null
    return HttpResponse.json<AuthenticatorResponse>({ authenticator: pending })
  }),
  http.patch(route(P.twoFactor.authenticator), async ({ params, request }) => {
    const body = (await request.json()) as RenameAuthenticatorBody
    const authenticator = findAuthenticator(params.id)
    if (!authenticator) return apiError(404, 'NOT_FOUND')
    const name = checkName(body.name)
    if (typeof name !== 'string') return name
    authenticator.name = name
    return HttpResponse.json<AuthenticatorResponse>({ authenticator })
  }),
  http.delete(route(P.twoFactor.authenticator), ({ params }) => {
    const authenticator = findAuthenticator(params.id)
    if (!authenticator) return apiError(404, 'NOT_FOUND')
    // The contract: step-up is checked before LAST_AUTHENTICATOR.
    if (!steppedUp()) return apiError(403, 'STEP_UP_REQUIRED')
    if (confirmed().length === 1) return apiError(409, 'LAST_AUTHENTICATOR')
    mockState.authenticators = mockState.authenticators.filter((each) => each !== authenticator)
    return new HttpResponse(null, { status: 204 })
  }),
  http.post(route(P.twoFactor.passkeyOptions), () =>
    HttpResponse.json<PasskeyRegistrationOptions>({
      options: {
        ...f.registrationOptions,
        excludeCredentials: Object.keys(mockState.passkeyIds).map((id) => ({
          id,
          type: 'public-key',
        })),
      },
    }),
  ),
  http.post(route(P.twoFactor.passkeys), async ({ request }) => {
    const body = (await request.json()) as PasskeyRegistrationBody
    const name = checkName(body.name)
    if (typeof name !== 'string') return name
    const { credential } = body
    if (credential.response.attestationObject === INVALID_ATTESTATION) {
      return apiError(400, 'INVALID_CREDENTIAL')
    }
    if (mockState.passkeyIds[credential.id]) return apiError(409, 'PASSKEY_EXISTS')
    const enabling = !mockState.twoFactorEnabled
    if (enabling) {
      Object.assign(mockState, { twoFactorEnabled: true, fenced: false, authenticators: [] })
      mockState.codeSlots = f.makeCodeSlots(0)
    }
    const authenticator: Authenticator = {
      id: `auth_${credential.id}`,
      type: 'passkey',
      name,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
    }
    mockState.authenticators.push(authenticator)
    mockState.passkeyIds[credential.id] = authenticator.id
    return HttpResponse.json<PasskeyRegistered>(
      { authenticator, ...(enabling ? { backupCodes: f.makeBackupCodes() } : {}) },
      { status: 201 },
    )
  }),
  http.post(route(P.twoFactor.stepUp), async ({ request }) => {
    const body = (await request.json()) as StepUpBody
    if (mockState.stepUpAttempts <= 0) {
      return apiError(429, 'TOO_MANY_ATTEMPTS', { retryAfter: 60 })
    }
    const ok = 'code' in body ? isValidCode(body.code) : Boolean(knownPasskey(body.credential?.id))
    if (!ok) {
      mockState.stepUpAttempts -= 1
      return apiError(401, 'INVALID_CODE')
    }
    mockState.stepUpUntil = Date.now() + STEP_UP_MS
    return HttpResponse.json<StepUpResponse>({
      verifiedUntil: new Date(mockState.stepUpUntil).toISOString(),
    })
  }),
  http.post(route(P.twoFactor.stepUpPasskey), () =>
    HttpResponse.json<PasskeyAuthenticationOptions>({ options: f.authenticationOptions }),
  ),
  http.post(route(P.auth.signInPasskeyOptions), async ({ request }) => {
    const body = (await request.json()) as PasskeyOptionsBody
    if (body.challengeToken !== f.challenge.token) return apiError(401, 'INVALID_CHALLENGE')
    return HttpResponse.json<PasskeyAuthenticationOptions>({ options: f.authenticationOptions })
  }),
]

export { knownPasskey }
