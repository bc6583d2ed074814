/** GET and DELETE /api/two-factor/trusted-devices, DELETE /api/two-factor/trusted-devices/{id} */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { DEVICE_COOKIE, readCookie } from '../lib/cookies'
import { SESSION, errors, json } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { TrustedDeviceList } from '../schemas'
import { authOf, ownSecondFactorRoute } from '../middleware/session'
import { listDevices, revokeAllDevices, revokeDevice } from '../services/trusted-devices.service'

const secured = ownSecondFactorRoute()

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
    async (c) => {
      const current = readCookie(c, DEVICE_COOKIE)
      return c.json(await listDevices(c.var.deps, authOf(c).user.id, current), 200)
    },
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
      const { id } = c.req.valid('param')
      await revokeDevice(c.var.deps, requestMeta(c), authOf(c).user.id, id)
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
      await revokeAllDevices(c.var.deps, requestMeta(c), authOf(c).user.id)
      return c.body(null, 204)
    },
  )
