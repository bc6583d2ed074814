import type { auditEvents } from '../db/schema'
import { iso } from './request-meta'

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
