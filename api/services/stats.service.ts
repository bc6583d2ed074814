/** Adoption and the last 30 days, for the admin's overview (`GET /api/admin/stats`). */
import { and, count, countDistinct, gte, inArray, isNotNull } from 'drizzle-orm'
import type { Deps } from '../context'
import { auditEvents, authenticators, users } from '../db/schema'

/** Which audit actions feed each 30-day figure. */
const STAT_ACTIONS = {
  enabled: ['two_factor_enabled'],
  disabled: ['two_factor_disabled', 'admin_two_factor_reset'],
  failedAttempts: ['two_factor_challenge_failed'],
  lockouts: ['account_locked'],
  backupCodesUsed: ['backup_code_used'],
} as const

export async function stats(deps: Deps) {
  const { db, now } = deps
  const since = now() - 30 * 24 * 3600 * 1000
  const actions = Object.values(STAT_ACTIONS).flat()
  const [
    [{ totalUsers } = { totalUsers: 0 }],
    [{ twoFactorUsers } = { twoFactorUsers: 0 }],
    byAction,
  ] = await Promise.all([
    db.select({ totalUsers: count() }).from(users),
    db
      .select({ twoFactorUsers: countDistinct(authenticators.userId) })
      .from(authenticators)
      .where(isNotNull(authenticators.confirmedAt)),
    db
      .select({ action: auditEvents.action, n: count() })
      .from(auditEvents)
      .where(and(gte(auditEvents.createdAt, since), inArray(auditEvents.action, actions)))
      .groupBy(auditEvents.action),
  ])
  const tally = (actions: readonly string[]) =>
    byAction.filter((r) => actions.includes(r.action)).reduce((sum, r) => sum + r.n, 0)
  const last30Days = Object.fromEntries(
    Object.entries(STAT_ACTIONS).map(([name, actions]) => [name, tally(actions)]),
  ) as Record<keyof typeof STAT_ACTIONS, number>
  const adoptionRate =
    totalUsers === 0 ? 0 : Math.round((twoFactorUsers / totalUsers) * 10_000) / 10_000
  return { totalUsers, twoFactorUsers, adoptionRate, last30Days }
}
