/** GET /api/admin/stats and GET /api/admin/stats/daily */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, errors, json } from '../lib/openapi'
import { DailyStats, DailyStatsQuery, Stats } from '../schemas'
import { administrationRoute } from '../middleware/session'
import { dailyStats } from '../services/daily-stats.service'
import { stats } from '../services/stats.service'

const secured = administrationRoute()

export const statsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/stats',
      operationId: 'getStats',
      summary: 'Adoption and the last 30 days',
      responses: { 200: json(Stats, 'Stats'), ...errors(...ADMIN) },
    }),
    async (c) => c.json(await stats(c.var.deps), 200),
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/stats/daily',
      operationId: 'getDailyStats',
      summary: 'Second-factor figures per UTC day, oldest first',
      request: { query: DailyStatsQuery },
      responses: {
        200: json(DailyStats, 'One entry per day'),
        ...errors('VALIDATION_FAILED', ...ADMIN),
      },
    }),
    async (c) => {
      const { db, now } = c.var.deps
      return c.json({ days: await dailyStats(db, now(), c.req.valid('query').days) }, 200)
    },
  )
