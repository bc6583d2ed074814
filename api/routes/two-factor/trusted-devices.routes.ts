import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { desc, eq } from 'drizzle-orm'
import type { AppEnv } from '../../context'
import { auditEvents } from '../../db/schema'
import { recordEvent } from '../../lib/audit'
import { toEventDto } from '../../lib/events'
import { ApiError } from '../../lib/errors'
import { SESSION, errors, json, sessionSecurity } from '../../lib/openapi'
import { authOf, requireSession } from '../../middleware/session'
import { EventList, TrustedDeviceList } from '../../schemas'
import { listDevices, revokeDevices } from './trusted-devices.service'

const tags = ['Own second factor']
const secured = { tags, middleware: [requireSession()], security: sessionSecurity }

export const trustedDeviceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/trusted-devices',
      operationId: 'listTrustedDevices',
      summary: 'Devices that skip the challenge',
      responses: { 200: json(TrustedDeviceList, 'Devices'), ...errors(...SESSION) },
    }),
    async (c) => c.json({ devices: await listDevices(c, authOf(c).user.id) }, 200),
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/trusted-devices/{id}',
      operationId: 'revokeTrustedDevice',
      summary: 'Revoke one trusted device',
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        204: { description: 'Revoked' },
        ...errors('VALIDATION_FAILED', 'CSRF_FAILED', ...SESSION, 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const { user } = authOf(c)
      const { id } = c.req.valid('param')
      if ((await revokeDevices(c, user.id, id)) === 0) throw new ApiError(404, 'NOT_FOUND')
      await recordEvent(c, { action: 'trusted_device_revoked', userId: user.id, metadata: { count: 1 } })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/trusted-devices',
      operationId: 'revokeAllTrustedDevices',
      summary: 'Revoke all trusted devices',
      responses: { 204: { description: 'Revoked' }, ...errors('CSRF_FAILED', ...SESSION) },
    }),
    async (c) => {
      const { user } = authOf(c)
      const count = await revokeDevices(c, user.id)
      await recordEvent(c, { action: 'trusted_device_revoked', userId: user.id, metadata: { count } })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/events',
      operationId: 'listOwnEvents',
      summary: 'Security events of one’s own account, newest first',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }) },
      responses: { 200: json(EventList, 'Events'), ...errors('VALIDATION_FAILED', ...SESSION) },
    }),
    async (c) => {
      const rows = await c.var.deps.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.userId, authOf(c).user.id))
        .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
        .limit(c.req.valid('query').limit)
      return c.json({ events: rows.map(toEventDto) }, 200)
    },
  )
