/**
 * Attempt counters kept in the database, bumped with one conditional statement each, so that
 * parallel requests on any number of isolates cannot get more tries than the limit.
 *
 * A try is reserved before the code or password is evaluated; a failure keeps it, a success
 * hands it back (passwords: only its own, so parallel failures stay counted) or clears the
 * counter (the second factor's consecutive failures). When the reserved tries reach the limit
 * and one of them fails, the counter locks until `lockedUntil`.
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

/** `windowStart` identifies the window the try was taken in, so it can be handed back exactly. */
export type Reservation =
  { ok: true; windowStart: number } | { ok: false; retryAfterSeconds: number }

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
    .returning({ count: t.count, windowStart: t.windowStart })
  if (rows.length > 0) return { ok: true, windowStart: rows[0]!.windowStart }
  const [row] = await db.select().from(t).where(eq(t.key, rule.key))
  // Locked: until the lock ends. Full but unlocked (tries in flight, or a window cap): until
  // the window passes, or one lock's length.
  const until =
    row?.lockedUntil ??
    (rule.windowMs !== null && row ? row.windowStart + rule.windowMs : now + rule.lockMs)
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) }
}

/** Records that a reserved try failed; returns the lock's end if this failure set it. */
export async function recordFailure(
  db: Db,
  rule: CounterRule,
  now: number,
): Promise<number | null> {
  const lockedUntil = now + rule.lockMs
  const rows = await db
    .update(t)
    .set({ lockedUntil })
    .where(and(eq(t.key, rule.key), isNull(t.lockedUntil), sql`${t.count} >= ${rule.limit}`))
    .returning({ key: t.key })
  return rows.length > 0 ? lockedUntil : null
}

/** A success clears the count (consecutive failures start again from zero). */
const deleteCounter = prepared((db) =>
  db
    .delete(t)
    .where(eq(t.key, sql.placeholder('key')))
    .prepare(),
)

export async function clearCounter(db: Db, key: string): Promise<void> {
  await deleteCounter(db).run({ key })
}

/**
 * Hands one reserved try back without clearing the rest (failures that parallel requests
 * recorded stay). With `windowStart`, only while the counter is still in the window the try was
 * taken in: a try from a past window is not handed back to a new one.
 */
export async function releaseAttempt(db: Db, key: string, windowStart?: number): Promise<void> {
  await db
    .update(t)
    .set({ count: sql`MAX(${t.count} - 1, 0)` })
    .where(
      and(
        eq(t.key, key),
        isNull(t.lockedUntil),
        windowStart === undefined ? undefined : eq(t.windowStart, windowStart),
      ),
    )
}

/** Reserves one try on every rule, or none: a refusal hands back the tries already taken. */
export async function reserveAll(
  db: Db,
  rules: CounterRule[],
  now: number,
): Promise<Reservation[] | { retryAfterSeconds: number }> {
  const taken = await Promise.all(rules.map((rule) => reserveAttempt(db, rule, now)))
  const refused = taken.filter((r): r is Extract<Reservation, { ok: false }> => !r.ok)
  if (refused.length === 0) return taken
  await releaseAll(db, rules, taken)
  return { retryAfterSeconds: Math.max(...refused.map((r) => r.retryAfterSeconds)) }
}

/** Hands back the tries that `reserveAll` (or `reserveAttempt`) took on these rules. */
export async function releaseAll(
  db: Db,
  rules: CounterRule[],
  taken: Reservation[],
): Promise<void> {
  await Promise.all(
    rules.map((rule, i) => {
      const r = taken[i]
      return r?.ok ? releaseAttempt(db, rule.key, r.windowStart) : undefined
    }),
  )
}

/** The active lock on a key, if any. */
export async function activeLock(db: Db, key: string, now: number): Promise<number | null> {
  const [row] = await db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key))
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null
}

/** The second factor's failure counter of a user is `2fa:<user id>`. */
export const TWO_FACTOR_KEY_PREFIX = '2fa:'
export const twoFactorKey = (userId: string) => `${TWO_FACTOR_KEY_PREFIX}${userId}`
export const passwordAccountKey = (email: string) => `pw:account:${email}`
/** `ip` is the client's bucket (an IPv6 address counts by its /64), see `ipBucket`. */
export const passwordIpKey = (ip: string | null) => `pw:ip:${ip ?? 'unknown'}`
export const signUpIpKey = (ip: string | null) => `signup:ip:${ip ?? 'unknown'}`
