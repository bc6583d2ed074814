import { http, HttpResponse } from 'msw'
import type {
  CurrentSessionResponse,
  EmailCodeSent,
  PasswordChangeBody,
  SessionResponse,
  SignInBody,
  SignInResponse,
  TwoFactorSignInBody,
  TwoFactorSignInResponse,
} from '../../ui/client/types'
import { API_PATHS as P } from '../../shared/api-paths'
import { knownPasskey } from './authenticator-handlers'
import * as f from './fixtures'
import { apiError, route } from './respond'
import { mockState } from './state'

function normalize(code: string) {
  return code.replace(/[\s-]/g, '').toUpperCase()
}

/**
 * Sign-in: `ada@example.com` has 2FA (challenge), `grace@example.com` must set it up,
 * `linus@example.com` is past the deadline (fenced until setup), anyone else signs straight in. The password is always {@link f.PASSWORD}.
 */
export const authHandlers = [
  http.post(route(P.auth.signUp), () =>
    HttpResponse.json<SessionResponse>({ user: f.graceUser, session: f.session }, { status: 201 }),
  ),
  http.post(route(P.auth.signIn), async ({ request }) => {
    const body = (await request.json()) as SignInBody
    if (body.password !== f.PASSWORD) return apiError(401, 'INVALID_CREDENTIALS')
    const email = body.email.trim().toLowerCase()
    if (email === f.adaUser.email) {
      mockState.attemptsRemaining = 5
      return HttpResponse.json<SignInResponse>({
        status: 'two_factor_required',
        challenge: f.challenge,
      })
    }
    if (email === f.lateUser.email) {
      Object.assign(mockState, { twoFactorEnabled: false, fenced: true })
      return HttpResponse.json<SignInResponse>({
        status: 'authenticated',
        user: f.lateUser,
        session: f.session,
        twoFactorSetupRequired: true,
        setupDeadline: f.statusRequiredNow.setupDeadline ?? undefined,
      })
    }
    const user = { ...f.graceUser, email }
    if (email === f.graceUser.email) {
      return HttpResponse.json<SignInResponse>({
        status: 'authenticated',
        user,
        session: f.session,
        twoFactorSetupRequired: true,
        setupDeadline: f.statusRequired.setupDeadline ?? undefined,
      })
    }
    return HttpResponse.json<SignInResponse>({ status: 'authenticated', user, session: f.session })
  }),
  http.post(route(P.auth.signInTwoFactor), async ({ request }) => {
    const body = (await request.json()) as TwoFactorSignInBody
    if (body.challengeToken !== f.challenge.token || mockState.attemptsRemaining <= 0) {
      return apiError(401, 'INVALID_CHALLENGE')
    }
    if ('credential' in body) {
      // An assertion that does not verify is a wrong code (the contract).
      if (body.method === 'passkey' && knownPasskey(body.credential.id)) {
        return HttpResponse.json<TwoFactorSignInResponse>({
          status: 'authenticated',
          user: f.adaUser,
          session: f.session,
          method: 'passkey',
        })
      }
      mockState.attemptsRemaining -= 1
      return apiError(401, 'INVALID_CODE', { attemptsRemaining: mockState.attemptsRemaining })
    }
    const isBackup = normalize(body.code) === normalize(f.VALID_BACKUP_CODE)
    if (body.code === f.VALID_CODE || (isBackup && body.method !== 'email')) {
      return HttpResponse.json<TwoFactorSignInResponse>({
        status: 'authenticated',
        user: f.adaUser,
        session: f.session,
        method: isBackup ? 'backup_code' : (body.method ?? 'totp'),
        ...(isBackup ? { backupCodesRemaining: 6 } : {}),
      })
    }
    mockState.attemptsRemaining -= 1
    return apiError(401, 'INVALID_CODE', { attemptsRemaining: mockState.attemptsRemaining })
  }),
  http.post(route(P.auth.signInEmailCode), () =>
    HttpResponse.json<EmailCodeSent>(
      { sentTo: 'a***@example.com', resendAfter: 30 },
      { status: 202 },
    ),
  ),
  http.post(route(P.auth.password), async ({ request }) => {
    const body = (await request.json()) as PasswordChangeBody
    if (body.currentPassword !== f.PASSWORD) return apiError(401, 'INVALID_CREDENTIALS')
    return new HttpResponse(null, { status: 204 })
  }),
  http.post(route(P.auth.signOut), () => new HttpResponse(null, { status: 204 })),
  // The kit uses the cookie: a cookie-authenticated read never gets the token back.
  http.get(route(P.auth.session), () =>
    HttpResponse.json<CurrentSessionResponse>({
      user: f.adaUser,
      session: { expiresAt: f.session.expiresAt },
    }),
  ),
]
