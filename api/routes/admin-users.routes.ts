/**
 * GET /api/admin/users, PATCH /api/admin/users/{id}, POST /api/admin/users/{id}/two-factor/reset
 * and POST /api/admin/users/{id}/unlock.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, BODY, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { AdminUserList, AdminUsersQuery, ResetBody, RoleBody, UserResponse } from '../schemas'
import { administrationRoute, authOf } from '../middleware/session'
import { resetUserTwoFactor, setUserRole, unlockUser } from '../services/admin.service'
import { listUsers } from '../services/admin-users.service'

const secured = administrationRoute()
const userParam = z.object({ id: z.string().min(1).max(64) })

export const adminUserRoutes = new OpenAPIHono<AppEnv>()
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
    async (c) => c.json(await listUsers(c.var.deps, c.req.valid('query')), 200),
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
      const { id } = c.req.valid('param')
      const { role } = c.req.valid('json')
      const admin = authOf(c).user
      return c.json(await setUserRole(c.var.deps, requestMeta(c), admin.id, id, role), 200)
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
      const { id } = c.req.valid('param')
      const { reason } = c.req.valid('json')
      const admin = authOf(c).user
      const answer = await resetUserTwoFactor(c.var.deps, requestMeta(c), admin.id, id, reason)
      return c.json(answer, 200)
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
      const { id } = c.req.valid('param')
      const admin = authOf(c).user
      return c.json(await unlockUser(c.var.deps, requestMeta(c), admin.id, id), 200)
    },
  )
