/** GET /api/health */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { json, publicSecurity } from '../lib/openapi'

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'health',
    tags: ['Meta'],
    summary: 'Liveness',
    security: publicSecurity,
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'Alive') },
  }),
  (c) => c.json({ ok: true as const }, 200),
)
