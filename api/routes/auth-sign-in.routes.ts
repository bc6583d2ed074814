/**
 * POST /api/auth/sign-in, POST /api/auth/sign-in/two-factor and
 * POST /api/auth/sign-in/two-factor/email, POST /api/auth/sign-in/two-factor/passkey: the
 * password, then the challenge.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { DEVICE_COOKIE, readCookie, SESSION_COOKIE, setTokenCookie } from '../lib/cookies'
import {
  BODY,
  errors,
  json,
  jsonBody,
  jsonWithCookies,
  publicSecurity,
  SESSION_COOKIE_DOC,
} from '../lib/openapi'
import { requestMeta, webauthnSite } from '../lib/request-meta'
import {
  EmailCodeBody,
  EmailCodeSent,
  PasskeyAuthenticationOptions,
  PasskeyOptionsBody,
  SignInBody,
  SignInResponse,
  TwoFactorSignInBody,
  TwoFactorSignInResponse,
} from '../schemas'
import { passkeySignInOptions } from '../services/challenge.service'
import { sendEmailCode } from '../services/email-code.service'
import { passChallenge, signIn } from '../services/sign-in.service'

const tags = ['Accounts and sign-in']

export const signInRoutes = new OpenAPIHono<AppEnv>()
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
      const device = readCookie(c, DEVICE_COOKIE)
      const result = await signIn(c.var.deps, requestMeta(c), c.req.valid('json'), device)
      if (result.device) setTokenCookie(c, DEVICE_COOKIE, result.device)
      if (result.session) setTokenCookie(c, SESSION_COOKIE, result.session)
      return c.json(result.answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in/two-factor',
      operationId: 'signInTwoFactor',
      tags,
      summary: 'Pass the sign-in challenge with a TOTP, emailed or backup code, or a passkey',
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
      const site = webauthnSite(c)
      const result = await passChallenge(c.var.deps, requestMeta(c), c.req.valid('json'), { site })
      if (result.device) setTokenCookie(c, DEVICE_COOKIE, result.device)
      setTokenCookie(c, SESSION_COOKIE, result.session)
      return c.json(result.answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in/two-factor/email',
      operationId: 'sendEmailCode',
      security: publicSecurity,
      tags,
      summary: 'Email a 6-digit code for the challenge (fallback second factor)',
      request: { body: jsonBody(EmailCodeBody) },
      responses: {
        202: json(EmailCodeSent, 'Code sent'),
        ...errors(...BODY, 'INVALID_CHALLENGE', 'EMAIL_FALLBACK_DISABLED', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const { challengeToken } = c.req.valid('json')
      return c.json(await sendEmailCode(c.var.deps, requestMeta(c), challengeToken), 202)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in/two-factor/passkey',
      operationId: 'signInPasskeyOptions',
      security: publicSecurity,
      tags,
      summary: "Request options for passing the challenge with one of the user's passkeys",
      request: { body: jsonBody(PasskeyOptionsBody) },
      responses: {
        200: json(PasskeyAuthenticationOptions, 'PublicKeyCredentialRequestOptionsJSON'),
        ...errors(...BODY, 'INVALID_CHALLENGE'),
      },
    }),
    async (c) => {
      const { challengeToken } = c.req.valid('json')
      const options = await passkeySignInOptions(c.var.deps, webauthnSite(c), challengeToken)
      return c.json({ options }, 200)
    },
  )
