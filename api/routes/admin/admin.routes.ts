import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { and, eq, sql } from 'drizzle-orm'
import type { AppEnv, Ctx } from '../../context'
import { users } from '../../db/schema'
import { recordEvent } from '../../lib/audit'
import { clearCounter, twoFactorKey } from '../../lib/counters'
import { ApiError } from '../../lib/errors'
import { notify } from '../../lib/notify'
import { ADMIN, BODY, errors, json, jsonBody, sessionSecurity } from '../../lib/openapi'
import { authOf, requireAdmin } from '../../middleware/session'
import { AdminUserList, AdminUsersQuery, ResetBody, RoleBody, UserResponse } from '../../schemas'
import { revokeAllSessions } from '../auth/sessions.service'
import { findUserById, toUserDto } from '../auth/users.service'
import { removeSecondFactor } from '../two-factor/factor.service'
import { listUsers, unlockUser } from './admin.service'
import { adminInsightRoutes } from './admin-insights.routes'

const tags = ['Administration']
const secured = { tags, middleware: [requireAdmin()], security: sessionSecurity }
const userParam = z.object({ id: z.string().min(1).max(64) })

async function targetUser(c: Ctx, id: string) {
  const user = await findUserById(c, id)
  if (!user) throw new ApiError(404, 'NOT_FOUND', { message: 'No user with this id.' })
  return user
}

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      summary: 'Users with their second-factor state: search, filters, pages',
      request: { query: AdminUsersQuery },
      responses: {
        200: json(AdminUserList, 'One page of users'),
        ...errors('VALIDATION_FAILED', ...ADMIN),
      },
    }),
    async (c) => c.json(await listUsers(c, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/users/{id}',
      operationId: 'setUserRole',
      summary: 'Change a user’s role',
      request: { params: userParam, body: jsonBody(RoleBody) },
      responses: {
        200: json(UserResponse.shape.user, 'The user'),
        ...errors(...BODY, ...ADMIN, 'NOT_FOUND', 'LAST_ADMIN'),
      },
    }),
    async (c) => {
      const { db, now } = c.var.deps
      const user = await targetUser(c, c.req.valid('param').id)
      const { role } = c.req.valid('json')
      if (user.role !== role) {
        // One conditional statement: a demotion happens only while another admin remains, so
        // two admins demoting each other at once leave one.
        const otherAdmin = sql`EXISTS (SELECT 1 FROM ${users} AS other
          WHERE other.role = 'admin' AND other.id <> ${user.id})`
        const changed = await db
          .update(users)
          .set({ role, roleSince: now() })
          .where(
            and(
              eq(users.id, user.id),
              eq(users.role, user.role),
              role === 'user' ? otherAdmin : undefined,
            ),
          )
          .returning({ id: users.id })
        if (changed.length === 0) {
          const current = await targetUser(c, user.id)
          if (current.role !== role) throw new ApiError(409, 'LAST_ADMIN')
          // A parallel request made the same change (and recorded it).
          return c.json(await toUserDto(c, current), 200)
        }
        await recordEvent(c, {
          action: 'admin_role_changed',
          userId: user.id,
          actorId: authOf(c).user.id,
          metadata: { from: user.role, to: role },
        })
      }
      return c.json(await toUserDto(c, { ...user, role }), 200)
    },
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/users/{id}/two-factor/reset',
      operationId: 'resetUserTwoFactor',
      summary: 'Remove a user’s second factor, backup codes, trusted devices and sessions',
      request: { params: userParam, body: { ...jsonBody(ResetBody), required: false } },
      responses: {
        200: json(UserResponse, 'The user'),
        ...errors(...BODY, ...ADMIN, 'NOT_FOUND', 'CANNOT_RESET_SELF'),
      },
    }),
    async (c) => {
      const admin = authOf(c).user
      const user = await targetUser(c, c.req.valid('param').id)
      if (user.id === admin.id) throw new ApiError(400, 'CANNOT_RESET_SELF')
      const { reason } = c.req.valid('json')
      await removeSecondFactor(c, user.id)
      await Promise.all([revokeAllSessions(c, user.id), clearCounter(c.var.deps.db, twoFactorKey(user.id))])
      await recordEvent(c, {
        action: 'admin_two_factor_reset',
        userId: user.id,
        actorId: admin.id,
        metadata: { reason: reason ?? null },
      })
      notify(c, user.email, { kind: 'two_factor_reset', reason })
      return c.json({ user: await toUserDto(c, user) }, 200)
    },
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/users/{id}/unlock',
      operationId: 'unlockUser',
      summary: 'Clear a user’s lockout',
      request: { params: userParam },
      responses: {
        200: json(UserResponse, 'The user'),
        ...errors('VALIDATION_FAILED', 'CSRF_FAILED', ...ADMIN, 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const user = await targetUser(c, c.req.valid('param').id)
      await unlockUser(c, user)
      await recordEvent(c, { action: 'admin_unlock', userId: user.id, actorId: authOf(c).user.id })
      return c.json({ user: await toUserDto(c, user) }, 200)
    },
  )
  .route('/', adminInsightRoutes)
