/**
 * Attempt counters kept in the database, bumped with one conditional statement each, so that
 * parallel requests on any number of isolates cannot get more tries than the limit.
 *
 * A try is reserved before the code or password is evaluated; a failure keeps it, a success
 * hands it back (or clears the counter). When the reserved tries reach the limit and one of
 * them fails, the counter locks until `lockedUntil`.
 */
import { and, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { prepared } from '../db/prepared'
import { attemptCounters as t } from '../db/schema'

export interface CounterRule {
  key: string
  limit: number
  /** Tries older than this are forgotten; null: only a success or the lock's end resets. */
  windowMs: number | null
  lockMs: number
}

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number }

export async function reserveAttempt(db: Db, rule: CounterRule, now: number): Promise<Reservation> {
  // A counter whose lock ended, or whose window passed, starts again at 1.
  const stale = or(
    and(isNotNull(t.lockedUntil), lte(t.lockedUntil, now)),
    rule.windowMs === null ? sql`0` : lte(t.windowStart, now - rule.windowMs),
  )!
  const rows = await db
    .insert(t)
    .values({ key: rule.key, count: 1, windowStart: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`CASE WHEN ${stale} THEN 1 ELSE ${t.count} + 1 END`,
        windowStart: sql`CASE WHEN ${stale} THEN ${now} ELSE ${t.windowStart} END`,
        lockedUntil: sql`CASE WHEN ${stale} THEN NULL ELSE ${t.lockedUntil} END`,
      },
      setWhere: or(stale, and(isNull(t.lockedUntil), sql`${t.count} < ${rule.limit}`)),
    })
    .returning({ count: t.count })
  if (rows.length > 0) return { ok: true }
  const [row] = await db.select().from(t).where(eq(t.key, rule.key))
  // Locked: until the lock ends. Full but unlocked (tries in flight, or a window cap): until
  // the window passes, or one lock's length.
  const until =
    row?.lockedUntil ?? (rule.windowMs !== null && row ? row.windowStart + rule.windowMs : now + rule.lockMs)
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) }
}

/** Records that a reserved try failed; returns the lock's end if this failure set it. */
export async function recordFailure(db: Db, rule: CounterRule, now: number): Promise<number | null> {
  const lockedUntil = now + rule.lockMs
  const rows = await db
    .update(t)
    .set({ lockedUntil })
    .where(and(eq(t.key, rule.key), isNull(t.lockedUntil), sql`${t.count} >= ${rule.limit}`))
    .returning({ key: t.key })
  return rows.length > 0 ? lockedUntil : null
}

/**
 * Counts one failure without a prior reservation (password checks, where parallel successes
 * must not be turned away), locking in the same statement when the count reaches the limit.
 * Returns the lock's end if this failure set it.
 */
export async function countFailure(db: Db, rule: CounterRule, now: number): Promise<number | null> {
  const stale = or(
    and(isNotNull(t.lockedUntil), lte(t.lockedUntil, now)),
    rule.windowMs === null ? sql`0` : lte(t.windowStart, now - rule.windowMs),
  )!
  const lockedUntil = now + rule.lockMs
  const next = sql`CASE WHEN ${stale} THEN 1 ELSE ${t.count} + 1 END`
  const [row] = await db
    .insert(t)
    .values({ key: rule.key, count: 1, windowStart: now, lockedUntil: rule.limit <= 1 ? lockedUntil : null })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: next,
        windowStart: sql`CASE WHEN ${stale} THEN ${now} ELSE ${t.windowStart} END`,
        lockedUntil: sql`CASE WHEN ${stale} THEN (CASE WHEN 1 >= ${rule.limit} THEN ${lockedUntil} END)
          WHEN ${t.lockedUntil} IS NULL AND ${t.count} + 1 >= ${rule.limit} THEN ${lockedUntil}
          ELSE ${t.lockedUntil} END`,
      },
    })
    .returning({ lockedUntil: t.lockedUntil })
  return row?.lockedUntil === lockedUntil ? lockedUntil : null
}

/** A success clears the count (consecutive failures start again from zero). */
const deleteCounter = prepared((db) =>
  db.delete(t).where(eq(t.key, sql.placeholder('key'))).prepare(),
)

export async function clearCounter(db: Db, key: string): Promise<void> {
  await deleteCounter(db).run({ key })
}

/** Hands one reserved try back without clearing the rest. */
export async function releaseAttempt(db: Db, key: string): Promise<void> {
  await db
    .update(t)
    .set({ count: sql`MAX(${t.count} - 1, 0)` })
    .where(and(eq(t.key, key), isNull(t.lockedUntil)))
}

/** The active lock on a key, if any. */
export async function activeLock(db: Db, key: string, now: number): Promise<number | null> {
  const [row] = await db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key))
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null
}

export const twoFactorKey = (userId: string) => `2fa:${userId}`
export const passwordAccountKey = (email: string) => `pw:account:${email}`
export const passwordIpKey = (ip: string | null) => `pw:ip:${ip ?? 'unknown'}`
