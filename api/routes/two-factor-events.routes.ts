/** GET /api/two-factor/events */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { SESSION, errors, json } from '../lib/openapi'
import { EventList } from '../schemas'
import { authOf, ownSecondFactorRoute } from '../middleware/session'
import { listOwnEvents } from '../services/audit.service'

export const ownEventRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    ...ownSecondFactorRoute(),
    method: 'get',
    path: '/events',
    operationId: 'listOwnEvents',
    summary: 'Security events of one’s own account, newest first',
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }) },
    responses: { 200: json(EventList, 'Events'), ...errors('VALIDATION_FAILED', ...SESSION) },
  }),
  async (c) => {
    const { limit } = c.req.valid('query')
    return c.json(await listOwnEvents(c.var.deps, authOf(c).user.id, limit), 200)
  },
)
