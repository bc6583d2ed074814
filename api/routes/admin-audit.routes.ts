/** GET /api/admin/audit */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, errors, json } from '../lib/openapi'
import { AuditList, AuditQuery } from '../schemas'
import { administrationRoute } from '../middleware/session'
import { listAuditEvents } from '../services/audit.service'

export const auditRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    ...administrationRoute(),
    method: 'get',
    path: '/audit',
    operationId: 'listAuditEvents',
    summary: 'The audit log, newest first',
    request: { query: AuditQuery },
    responses: {
      200: json(AuditList, 'One page of events'),
      ...errors('VALIDATION_FAILED', ...ADMIN),
    },
  }),
  async (c) => c.json(await listAuditEvents(c.var.deps, c.req.valid('query')), 200),
)
