import { eq } from 'drizzle-orm'
import type { AuthUser, Ctx } from '../../context'
import { settings } from '../../db/schema'
import type { PolicyDto } from '../../schemas'

export interface StoredPolicy extends PolicyDto {
  /** When the current enforcement level started (ms). */
  since: number
}

const DEFAULT_POLICY: StoredPolicy = { enforce: 'off', gracePeriodDays: 0, emailFallback: true, since: 0 }
const DAY = 24 * 3600 * 1000

export async function getPolicy(c: Ctx): Promise<StoredPolicy> {
  const [row] = await c.var.deps.db.select().from(settings).where(eq(settings.key, 'policy'))
  return row ? { ...DEFAULT_POLICY, ...(JSON.parse(row.value) as Partial<StoredPolicy>) } : DEFAULT_POLICY
}

export async function savePolicy(c: Ctx, next: PolicyDto): Promise<StoredPolicy> {
  const current = await getPolicy(c)
  const now = c.var.deps.now()
  const stored: StoredPolicy = { ...next, since: next.enforce === current.enforce ? current.since : now }
  const value = JSON.stringify(stored)
  await c.var.deps.db
    .insert(settings)
    .values({ key: 'policy', value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
  return stored
}

export const publicPolicy = ({ enforce, gracePeriodDays, emailFallback }: StoredPolicy): PolicyDto => ({
  enforce,
  gracePeriodDays,
  emailFallback,
})

/**
 * Whether the policy asks this user for a second factor, and by when. The grace period counts
 * from when the policy started to apply to them: its start, their sign-up or their role change.
 */
export function requirementFor(policy: StoredPolicy, user: Pick<AuthUser, 'role' | 'roleSince'>) {
  const applies = policy.enforce === 'all' || (policy.enforce === 'admins' && user.role === 'admin')
  if (!applies) return { required: false, deadline: null }
  const start = Math.max(policy.since, user.roleSince)
  return { required: true, deadline: start + policy.gracePeriodDays * DAY }
}
