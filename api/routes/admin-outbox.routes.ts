/** GET /api/admin/outbox */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, errors, json } from '../lib/openapi'
import { OutboxList, OutboxQuery } from '../schemas'
import { administrationRoute } from '../middleware/session'
import { listOutbox } from '../services/outbox.service'

export const outboxRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    ...administrationRoute(),
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
