import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv, AuthUser, Ctx } from '../../context'
import { recordEvent } from '../../lib/audit'
import { iso } from '../../lib/request-meta'
import {
  BODY,
  errors,
  json,
  jsonBody,
  jsonWithCookies,
  publicSecurity,
  sessionSecurity,
  setCookieHeader,
} from '../../lib/openapi'
import { authOf, requireSession } from '../../middleware/session'
import {
  CurrentSessionResponse,
  SessionResponse,
  SignInBody,
  SignInResponse,
  SignUpBody,
  TwoFactorSignInBody,
  TwoFactorSignInResponse,
} from '../../schemas'
import { getPolicy, requirementFor, type StoredPolicy } from '../admin/policy.service'
import { checkPassword, reserveSignUp } from './password.service'
import { issueChallenge } from './challenge.service'
import { passChallenge } from './second-step.service'
import { createSession, revokeSession } from './sessions.service'
import { createUser, toUserDto, twoFactorEnabledAt } from './users.service'
import { useTrustedDevice } from '../two-factor/trusted-devices.service'
import { emailCodeRoutes } from './email-code.routes'
import { passwordRoutes } from './password.routes'

const tags = ['Accounts and sign-in']
const SESSION_COOKIE_DOC =
  'The session cookie (HttpOnly, SameSite=Lax, Path=/; Secure and `__Host-` prefixed on https).'

/** A session for a user whose second-factor state the caller already knows. */
async function authenticated(c: Ctx, user: AuthUser, twoFactorEnabled: boolean, policy: StoredPolicy) {
  const session = await createSession(c, user)
  const { required, deadline } = requirementFor(policy, user)
  const dto = { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled }
  const setup =
    required && !twoFactorEnabled ? { twoFactorSetupRequired: true as const, setupDeadline: iso(deadline)! } : {}
  return { status: 'authenticated' as const, user: dto, session, ...setup }
}

export const authRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-up',
      operationId: 'signUp',
      tags,
      summary: 'Create an account (the first one becomes admin)',
      security: publicSecurity,
      request: { body: jsonBody(SignUpBody) },
      responses: {
        201: jsonWithCookies(SessionResponse, 'Signed up and signed in', SESSION_COOKIE_DOC),
        ...errors(...BODY, 'EMAIL_TAKEN', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      // Each sign-up costs a password hash: one try per client IP is reserved before it.
      await reserveSignUp(c)
      const user = await createUser(c, body)
      await recordEvent(c, { action: 'sign_up', userId: user.id, metadata: { role: user.role } })
      const session = await createSession(c, user)
      return c.json({ user: await toUserDto(c, user), session }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in',
      operationId: 'signIn',
      tags,
      summary: 'Sign in with email and password',
      security: publicSecurity,
      request: { body: jsonBody(SignInBody) },
      responses: {
        200: jsonWithCookies(
          SignInResponse,
          'Signed in (`status: authenticated`), or a second factor is needed ' +
            '(`status: two_factor_required`, no session yet)',
          `${SESSION_COOKIE_DOC} Only with \`status: authenticated\`.`,
        ),
        ...errors(...BODY, 'INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const user = await checkPassword(c, c.req.valid('json'))
      const policy = await getPolicy(c)
      if ((await twoFactorEnabledAt(c, user.id)) !== null) {
        if (await useTrustedDevice(c, user.id)) {
          await recordEvent(c, { action: 'sign_in', userId: user.id, metadata: { trustedDevice: true } })
          return c.json(await authenticated(c, user, true, policy), 200)
        }
        const challenge = await issueChallenge(c, user.id, policy.emailFallback)
        return c.json({ status: 'two_factor_required' as const, challenge }, 200)
      }
      await recordEvent(c, { action: 'sign_in', userId: user.id, metadata: { secondFactor: false } })
      return c.json(await authenticated(c, user, false, policy), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in/two-factor',
      operationId: 'signInTwoFactor',
      tags,
      summary: 'Pass the sign-in challenge with a TOTP, emailed or backup code',
      security: publicSecurity,
      request: { body: jsonBody(TwoFactorSignInBody) },
      responses: {
        200: jsonWithCookies(
          TwoFactorSignInResponse,
          'Signed in',
          `${SESSION_COOKIE_DOC} With \`rememberDevice: true\`, also the trusted-device ` +
            'cookie (HttpOnly, 30 days).',
        ),
        ...errors(...BODY, 'INVALID_CODE', 'INVALID_CHALLENGE', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const { user, method, backupCodesRemaining } = await passChallenge(c, c.req.valid('json'))
      const session = await createSession(c, user)
      const remaining = backupCodesRemaining === undefined ? {} : { backupCodesRemaining }
      // Passing the step proved the factor: no need to read it again.
      const dto = { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled: true }
      return c.json({ status: 'authenticated' as const, user: dto, session, method, ...remaining }, 200)
    },
  )
  .route('/', emailCodeRoutes)
  .route('/', passwordRoutes)
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-out',
      operationId: 'signOut',
      tags,
      summary: 'Sign out (revokes the session)',
      // The session to revoke; without one the answer is 204 all the same.
      security: [...sessionSecurity, {}],
      responses: {
        204: { description: 'Signed out', headers: setCookieHeader('Clears the session cookie.') },
        ...errors('CSRF_FAILED'),
      },
    }),
    async (c) => {
      if (c.var.auth) await revokeSession(c, c.var.auth.sessionId)
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/session',
      operationId: 'getSession',
      tags,
      summary: 'The current session',
      middleware: [requireSession()] as const,
      security: sessionSecurity,
      responses: {
        200: json(
          CurrentSessionResponse,
          'The signed-in user and session (the token only for Bearer callers)',
        ),
        ...errors('UNAUTHORIZED'),
      },
    }),
    async (c) => {
      const auth = authOf(c)
      // A cookie-authenticated page never reads the token back: it stays HttpOnly.
      const token = auth.via === 'bearer' ? { token: auth.token } : {}
      return c.json({ user: await toUserDto(c, auth.user), session: { ...token, expiresAt: iso(auth.expiresAt)! } }, 200)
    },
  )
