/**
 * The audit log: every action in the contract, with user, actor, IP, user agent and time, never a
 * code, secret or token. Written by the services, read by a user (own events) and by admins.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Deps, RequestMeta } from '../context'
import { prepared } from '../db/prepared'
import { auditEvents } from '../db/schema'
import type { AuditEntry } from '../lib/audit'
import { newId } from '../lib/crypto'
import { iso } from '../lib/time'

const p = (name: string) => sql.placeholder(name)
const insertEvent = prepared((db) =>
  db
    .insert(auditEvents)
    .values({
      id: p('id'),
      userId: p('userId'),
      actorId: p('actorId'),
      action: p('action'),
      ip: p('ip'),
      userAgent: p('userAgent'),
      metadata: p('metadata'),
      createdAt: p('createdAt'),
    })
    .prepare(),
)

const toRow = (entry: AuditEntry, meta: RequestMeta, createdAt: number) => ({
  id: newId('evt'),
  userId: entry.userId,
  actorId: entry.actorId === undefined ? entry.userId : entry.actorId,
  action: entry.action,
  ip: meta.ip,
  userAgent: meta.userAgent,
  metadata: JSON.stringify(entry.metadata ?? {}),
  createdAt,
})

export async function recordEvent(deps: Deps, meta: RequestMeta, entry: AuditEntry) {
  await insertEvent(deps.db).run(toRow(entry, meta, deps.now()))
}

/** Several events of one request in one statement (one commit). */
export async function recordEvents(deps: Deps, meta: RequestMeta, entries: AuditEntry[]) {
  const at = deps.now()
  await deps.db.insert(auditEvents).values(entries.map((entry) => toRow(entry, meta, at)))
}

/** An audit row as the contract's `AuditEvent`. */
export function toEventDto(row: typeof auditEvents.$inferSelect) {
  return {
    id: row.id,
    userId: row.userId,
    actorId: row.actorId,
    action: row.action,
    createdAt: iso(row.createdAt)!,
    ip: row.ip,
    userAgent: row.userAgent,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  }
}

const newestFirst = [desc(auditEvents.createdAt), desc(auditEvents.id)]

/** The newest events of one user's own account. */
export async function listOwnEvents(deps: Deps, userId: string, limit: number) {
  const rows = await deps.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.userId, userId))
    .orderBy(...newestFirst)
    .limit(limit)
  return { events: rows.map(toEventDto) }
}

export interface AuditQuery {
  userId?: string
  action?: string
  page: number
  pageSize: number
}

/** One page of the whole log, newest first, filtered by user and action. */
export async function listAuditEvents(deps: Deps, query: AuditQuery) {
  const { userId, action, page, pageSize } = query
  const filters: SQL[] = []
  if (userId) filters.push(eq(auditEvents.userId, userId))
  if (action) filters.push(eq(auditEvents.action, action))
  const where = filters.length ? and(...filters) : undefined
  const { db } = deps
  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(...newestFirst)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: sql<number>`count(*)` })
      .from(auditEvents)
      .where(where),
  ])
  return { events: rows.map(toEventDto), total: Number(total), page, pageSize }
}
