import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { and, eq, ne } from 'drizzle-orm'
import type { AppEnv } from '../../context'
import { sessions, users } from '../../db/schema'
import { recordEvent } from '../../lib/audit'
import { hashPassword, verifyPassword } from '../../lib/crypto'
import { ApiError } from '../../lib/errors'
import { notify } from '../../lib/notify'
import { BODY, errors, jsonBody, sessionSecurity } from '../../lib/openapi'
import { authOf, requireSession } from '../../middleware/session'
import { revokeDevices } from '../two-factor/trusted-devices.service'
import { passwordAccountRule, withPasswordTries } from './password.service'
import { findUserById } from './users.service'

const PasswordChangeBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(8).max(256) })
  .openapi('PasswordChangeBody')

/**
 * Changing the password signs out every other session and forgets every trusted device. The
 * current password is checked behind the account's password limit (a try reserved first), so a
 * stolen session cannot guess it; failures are audited, and the user is mailed on every change.
 */
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
    const auth = authOf(c)
    const { currentPassword, newPassword } = c.req.valid('json')
    const user = await findUserById(c, auth.user.id)
    if (!user) throw new ApiError(401, 'UNAUTHORIZED')
    const checked = await withPasswordTries(c, [passwordAccountRule(c, user.email)], async () =>
      (await verifyPassword(currentPassword, user.passwordHash)) ? true : null,
    )
    if (!checked.ok) {
      await recordEvent(c, { action: 'sign_in_failed', userId: user.id, metadata: { step: 'password_change' } })
      throw new ApiError(401, 'INVALID_CREDENTIALS', { message: 'The current password is wrong.' })
    }
    const { db } = c.var.deps
    await db.batch([
      db.update(users).set({ passwordHash: await hashPassword(newPassword) }).where(eq(users.id, user.id)),
      db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, auth.sessionId))),
    ])
    const revoked = await revokeDevices(c, user.id)
    await recordEvent(c, { action: 'password_changed', userId: user.id, metadata: { trustedDevicesRevoked: revoked } })
    notify(c, user.email, { kind: 'password_changed' })
    return c.body(null, 204)
  },
)
