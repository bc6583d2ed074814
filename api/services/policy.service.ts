import { eq } from 'drizzle-orm'
import type { AuthUser, Deps, RequestMeta } from '../context'
import { settings } from '../db/schema'
import type { PolicyDto } from '../schemas'
import { recordEvent } from './audit.service'

export interface StoredPolicy extends PolicyDto {
  /** When the current enforcement level started (ms). */
  since: number
}

const DEFAULT_POLICY: StoredPolicy = {
  enforce: 'off',
  gracePeriodDays: 0,
  emailFallback: true,
  since: 0,
}
const DAY = 24 * 3600 * 1000

/** The policy's row in the settings table. */
export const POLICY_KEY = 'policy'

/** The stored policy's value (or none) with the defaults filled in. */
export const parsePolicy = (value: string | null | undefined): StoredPolicy =>
  value ? { ...DEFAULT_POLICY, ...(JSON.parse(value) as Partial<StoredPolicy>) } : DEFAULT_POLICY

export async function getPolicy(deps: Deps): Promise<StoredPolicy> {
  const [row] = await deps.db.select().from(settings).where(eq(settings.key, POLICY_KEY))
  return parsePolicy(row?.value)
}

async function savePolicy(deps: Deps, next: PolicyDto): Promise<StoredPolicy> {
  const current = await getPolicy(deps)
  const now = deps.now()
  const since = next.enforce === current.enforce ? current.since : now
  const stored: StoredPolicy = { ...next, since }
  const value = JSON.stringify(stored)
  await deps.db
    .insert(settings)
    .values({ key: POLICY_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
  return stored
}

export const publicPolicy = ({
  enforce,
  gracePeriodDays,
  emailFallback,
}: StoredPolicy): PolicyDto => ({ enforce, gracePeriodDays, emailFallback })

/** An administrator sets the policy; a missing `emailFallback` keeps the current one. */
export async function setPolicy(
  deps: Deps,
  meta: RequestMeta,
  actorId: string,
  body: Omit<PolicyDto, 'emailFallback'> & { emailFallback?: boolean },
): Promise<PolicyDto> {
  const current = await getPolicy(deps)
  const next = { ...body, emailFallback: body.emailFallback ?? current.emailFallback }
  const saved = publicPolicy(await savePolicy(deps, next))
  await recordEvent(deps, meta, {
    action: 'policy_changed',
    userId: null,
    actorId,
    metadata: { ...saved },
  })
  return saved
}

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
