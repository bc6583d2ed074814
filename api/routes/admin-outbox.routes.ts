/** GET /api/admin/outbox */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, errors, json, sessionSecurity } from '../lib/openapi'
import { OutboxList, OutboxQuery } from '../schemas'
import { requireAdmin } from '../middleware/session'
import { listOutbox } from '../services/outbox.service'

export const outboxRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    tags: ['Administration'],
    middleware: [requireAdmin()],
    security: sessionSecurity,
    method: 'get',
    path: '/outbox',
    operationId: 'listOutbox',
    summary: 'Mail recorded by the default outbox mailer, newest first (demo and development)',
    request: { query: OutboxQuery },
    responses: {
      200: json(OutboxList, 'One page of messages'),
      ...errors('VALIDATION_FAILED', ...ADMIN),
    },
  }),
  async (c) => c.json(await listOutbox(c.var.deps, c.req.valid('query')), 200),
)
