import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { and, count, desc, eq, gte, inArray, isNotNull, sql, type SQL } from 'drizzle-orm'
import type { AppEnv } from '../../context'
import { auditEvents, factors, outbox, users } from '../../db/schema'
import { recordEvent } from '../../lib/audit'
import { toEventDto } from '../../lib/events'
import { ADMIN, BODY, errors, json, jsonBody, sessionSecurity } from '../../lib/openapi'
import { iso } from '../../lib/request-meta'
import { authOf, requireAdmin } from '../../middleware/session'
import {
  AuditList,
  AuditQuery,
  DailyStats,
  DailyStatsQuery,
  OutboxList,
  OutboxQuery,
  Policy,
  PolicyBody,
  Stats,
} from '../../schemas'
import { dailyStats } from './daily-stats.service'
import { getPolicy, publicPolicy, savePolicy } from './policy.service'

const tags = ['Administration']
const secured = { tags, middleware: [requireAdmin()], security: sessionSecurity }

/** Which audit actions feed each 30-day figure. */
const STAT_ACTIONS = {
  enabled: ['two_factor_enabled'],
  disabled: ['two_factor_disabled', 'admin_two_factor_reset'],
  failedAttempts: ['two_factor_challenge_failed'],
  lockouts: ['account_locked'],
  backupCodesUsed: ['backup_code_used'],
} as const

export const adminInsightRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/policy',
      operationId: 'getPolicy',
      summary: 'The enforcement policy',
      responses: { 200: json(Policy, 'Policy'), ...errors(...ADMIN) },
    }),
    async (c) => c.json(publicPolicy(await getPolicy(c)), 200),
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'put',
      path: '/policy',
      operationId: 'setPolicy',
      summary: 'Set the enforcement policy',
      request: { body: jsonBody(PolicyBody) },
      responses: { 200: json(Policy, 'Policy'), ...errors(...BODY, ...ADMIN) },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const current = await getPolicy(c)
      const next = { ...body, emailFallback: body.emailFallback ?? current.emailFallback }
      const saved = publicPolicy(await savePolicy(c, next))
      await recordEvent(c, { action: 'policy_changed', userId: null, actorId: authOf(c).user.id, metadata: { ...saved } })
      return c.json(saved, 200)
    },
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/stats',
      operationId: 'getStats',
      summary: 'Adoption and the last 30 days',
      responses: { 200: json(Stats, 'Stats'), ...errors(...ADMIN) },
    }),
    async (c) => {
      const { db, now } = c.var.deps
      const since = now() - 30 * 24 * 3600 * 1000
      const [[{ totalUsers } = { totalUsers: 0 }], [{ twoFactorUsers } = { twoFactorUsers: 0 }], byAction] = await Promise.all([
        db.select({ totalUsers: count() }).from(users),
        db.select({ twoFactorUsers: count() }).from(factors).where(isNotNull(factors.enabledAt)),
        db
          .select({ action: auditEvents.action, n: count() })
          .from(auditEvents)
          .where(and(gte(auditEvents.createdAt, since), inArray(auditEvents.action, Object.values(STAT_ACTIONS).flat())))
          .groupBy(auditEvents.action),
      ])
      const tally = (actions: readonly string[]) =>
        byAction.filter((r) => actions.includes(r.action)).reduce((sum, r) => sum + r.n, 0)
      const last30Days = Object.fromEntries(
        Object.entries(STAT_ACTIONS).map(([name, actions]) => [name, tally(actions)]),
      ) as Record<keyof typeof STAT_ACTIONS, number>
      const adoptionRate = totalUsers === 0 ? 0 : Math.round((twoFactorUsers / totalUsers) * 10_000) / 10_000
      return c.json({ totalUsers, twoFactorUsers, adoptionRate, last30Days }, 200)
    },
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
  .openapi(
    createRoute({
      ...secured,
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
    async (c) => {
      const { userId, action, page, pageSize } = c.req.valid('query')
      const filters: SQL[] = []
      if (userId) filters.push(eq(auditEvents.userId, userId))
      if (action) filters.push(eq(auditEvents.action, action))
      const where = filters.length ? and(...filters) : undefined
      const db = c.var.deps.db
      const [rows, [{ total } = { total: 0 }]] = await Promise.all([
        db
          .select()
          .from(auditEvents)
          .where(where)
          .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        db.select({ total: sql<number>`count(*)` }).from(auditEvents).where(where),
      ])
      return c.json({ events: rows.map(toEventDto), total: Number(total), page, pageSize }, 200)
    },
  )
  .openapi(
    createRoute({
      ...secured,
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
    async (c) => {
      const { page, pageSize } = c.req.valid('query')
      const db = c.var.deps.db
      const [rows, [{ total } = { total: 0 }]] = await Promise.all([
        db
          .select()
          .from(outbox)
          .orderBy(desc(outbox.createdAt), desc(outbox.id))
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        db.select({ total: count() }).from(outbox),
      ])
      const messages = rows.map((m) => ({ ...m, createdAt: iso(m.createdAt)! }))
      return c.json({ messages, total, page, pageSize }, 200)
    },
  )
