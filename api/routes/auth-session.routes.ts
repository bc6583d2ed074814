/** POST /api/auth/sign-out and GET /api/auth/session: the current session. */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { clearCookie, SESSION_COOKIE } from '../lib/cookies'
import { errors, json, sessionSecurity, setCookieHeader } from '../lib/openapi'
import { iso } from '../lib/time'
import { CurrentSessionResponse } from '../schemas'
import { authOf, requireSession } from '../middleware/session'
import { revokeSession } from '../services/sessions.service'
import { toUserDto } from '../services/users.service'

const tags = ['Accounts and sign-in']

export const sessionRoutes = new OpenAPIHono<AppEnv>()
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
      if (c.var.auth) {
        await revokeSession(c.var.deps, c.var.auth.sessionId)
        clearCookie(c, SESSION_COOKIE)
      }
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
      const session = { ...token, expiresAt: iso(auth.expiresAt)! }
      return c.json({ user: await toUserDto(c.var.deps, auth.user), session }, 200)
    },
  )
