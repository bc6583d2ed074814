/** POST /api/auth/password */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { BODY, errors, jsonBody, sessionSecurity } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { authOf, requireSession } from '../middleware/session'
import { changePassword } from '../services/password.service'

const PasswordChangeBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(8).max(256) })
  .openapi('PasswordChangeBody')

export const passwordRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'post',
    path: '/password',
    operationId: 'changePassword',
    tags: ['Accounts and sign-in'],
    summary: 'Change one’s password (revokes other sessions and all trusted devices)',
    middleware: [requireSession()],
    security: sessionSecurity,
    request: { body: jsonBody(PasswordChangeBody) },
    responses: {
      204: { description: 'Changed' },
      ...errors(...BODY, 'UNAUTHORIZED', 'INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'),
    },
  }),
  async (c) => {
    await changePassword(c.var.deps, requestMeta(c), authOf(c), c.req.valid('json'))
    return c.body(null, 204)
  },
)
