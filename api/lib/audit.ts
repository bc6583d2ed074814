import type { Ctx } from '../context'
import { sql } from 'drizzle-orm'
import { prepared } from '../db/prepared'
import { auditEvents } from '../db/schema'
import { newId } from './crypto'
import { clientIp, userAgent } from './request-meta'

export const AUDIT_ACTIONS = [
  'sign_up',
  'sign_in',
  'sign_in_failed',
  'two_factor_challenge_passed',
  'two_factor_challenge_failed',
  'two_factor_enabled',
  'two_factor_disabled',
  'backup_code_used',
  'backup_codes_regenerated',
  'email_code_sent',
  'trusted_device_added',
  'trusted_device_revoked',
  'account_locked',
  'admin_two_factor_reset',
  'admin_unlock',
  'admin_role_changed',
  'policy_changed',
  'password_changed',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Safe metadata only: methods, counts, reasons, labels. Never codes, secrets or tokens. */
export type AuditMetadata = Record<string, string | number | boolean | null>

export interface AuditEntry {
  action: AuditAction
  userId: string | null
  /** Who did it; defaults to the user themself. */
  actorId?: string | null
  metadata?: AuditMetadata
}

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

export async function recordEvent(c: Ctx, entry: AuditEntry): Promise<void> {
  const { db, now } = c.var.deps
  await insertEvent(db).run({
    id: newId('evt'),
    userId: entry.userId,
    actorId: entry.actorId === undefined ? entry.userId : entry.actorId,
    action: entry.action,
    ip: clientIp(c),
    userAgent: userAgent(c),
    metadata: JSON.stringify(entry.metadata ?? {}),
    createdAt: now(),
  })
}

/** Several events of one request in one statement (one commit). */
export async function recordEvents(c: Ctx, entries: AuditEntry[]): Promise<void> {
  const { db, now } = c.var.deps
  const [ip, ua, at] = [clientIp(c), userAgent(c), now()]
  await db.insert(auditEvents).values(
    entries.map((entry) => ({
      id: newId('evt'),
      userId: entry.userId,
      actorId: entry.actorId === undefined ? entry.userId : entry.actorId,
      action: entry.action,
      ip,
      userAgent: ua,
      metadata: JSON.stringify(entry.metadata ?? {}),
      createdAt: at,
    })),
  )
}
