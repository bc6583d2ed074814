/**
 * Second-factor figures per UTC day, for the admin's trend chart (`GET /api/admin/stats/daily`).
 */
import { countDistinct, isNotNull, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { auditEvents, authenticators } from '../db/schema'

export const DAY_MS = 86_400_000

/** Which audit actions feed each daily figure (the same ones as the 30-day figures of /stats). */
export const DAILY_ACTIONS = {
  enabled: ['two_factor_enabled'],
  disabled: ['two_factor_disabled', 'admin_two_factor_reset'],
  failedAttempts: ['two_factor_challenge_failed'],
  lockouts: ['account_locked'],
  backupCodesUsed: ['backup_code_used'],
  emailCodesSent: ['email_code_sent'],
} as const

type Figure = keyof typeof DAILY_ACTIONS
type DayRow = { i: number } & Record<Figure, number>

export interface DailyStatsDay extends Record<Figure, number> {
  /** `YYYY-MM-DD`, a UTC day. */
  date: string
  /** Users with a second factor at the end of the day. */
  twoFactorUsers: number
}

/**
 * The last `days` UTC days, today included, oldest first. Each figure is a count of audit events
 * of that day: one range count per day and figure on `audit_action_idx (action, created_at)`, so
 * the cost grows with the events in the window and no sort is needed (a GROUP BY on the day would
 * sort every event of the window; this is 4–5 times faster at a million events).
 * `twoFactorUsers` is today's count of users with a confirmed authenticator, walked back a day at a time by the day's
 * enablings and disablings.
 */
export async function dailyStats(db: Db, now: number, days: number): Promise<DailyStatsDay[]> {
  const first = (Math.floor(now / DAY_MS) - days + 1) * DAY_MS
  const e = auditEvents
  const figure = (name: Figure) => {
    const actions = sql.join(
      DAILY_ACTIONS[name].map((action) => sql`${action}`),
      sql`, `,
    )
    return sql`(SELECT count(*) FROM ${e} WHERE ${e.action} IN (${actions})
      AND ${e.createdAt} >= day.start AND ${e.createdAt} < day.start + ${DAY_MS}) AS ${sql.identifier(name)}`
  }
  const columns = sql.join((Object.keys(DAILY_ACTIONS) as Figure[]).map(figure), sql`, `)
  const [rows, [{ current } = { current: 0 }]] = await Promise.all([
    db.all<DayRow>(sql`WITH RECURSIVE day(i, start) AS (
        SELECT 0, ${first} UNION ALL SELECT i + 1, start + ${DAY_MS} FROM day WHERE i + 1 < ${days}
      )
      SELECT i, ${columns} FROM day ORDER BY i`),
    db
      .select({ current: countDistinct(authenticators.userId) })
      .from(authenticators)
      .where(isNotNull(authenticators.confirmedAt)),
  ])

  const result: DailyStatsDay[] = new Array(rows.length)
  let atEndOfDay = current
  for (let k = rows.length - 1; k >= 0; k--) {
    const row = rows[k]!
    const counts = Object.fromEntries(
      Object.keys(DAILY_ACTIONS).map((name) => [name, Number(row[name as Figure])]),
    ) as Record<Figure, number>
    result[k] = {
      date: new Date(first + Number(row.i) * DAY_MS).toISOString().slice(0, 10),
      // Never below zero, should the audit log have been trimmed or edited.
      twoFactorUsers: Math.max(0, atEndOfDay),
      ...counts,
    }
    atEndOfDay -= counts.enabled - counts.disabled
  }
  return result
}
