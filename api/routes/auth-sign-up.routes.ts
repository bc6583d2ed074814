/** POST /api/auth/sign-up */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { SESSION_COOKIE, setTokenCookie } from '../lib/cookies'
import {
  BODY,
  errors,
  jsonBody,
  jsonWithCookies,
  publicSecurity,
  SESSION_COOKIE_DOC,
} from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { SessionResponse, SignUpBody } from '../schemas'
import { signUp } from '../services/sign-in.service'

export const signUpRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'post',
    path: '/sign-up',
    operationId: 'signUp',
    tags: ['Accounts and sign-in'],
    summary: 'Create an account (the first one becomes admin)',
    security: publicSecurity,
    request: { body: jsonBody(SignUpBody) },
    responses: {
      201: jsonWithCookies(SessionResponse, 'Signed up and signed in', SESSION_COOKIE_DOC),
      ...errors(...BODY, 'EMAIL_TAKEN', 'TOO_MANY_ATTEMPTS'),
    },
  }),
  async (c) => {
    const { answer, session } = await signUp(c.var.deps, requestMeta(c), c.req.valid('json'))
    setTokenCookie(c, SESSION_COOKIE, session)
    return c.json(answer, 201)
  },
)
