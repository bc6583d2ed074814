/**
 * What an administrator does to one account: change its role, reset its second factor, lift
 * its locks. Each is audited with the administrator as the actor.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Deps, RequestMeta } from '../context'
import { users } from '../db/schema'
import { HttpError } from '../lib/errors'
import { notify } from '../lib/notify'
import { clearCounter, passwordAccountKey, twoFactorKey } from './counters.service'
import { recordEvent } from './audit.service'
import { removeSecondFactor } from './factor.service'
import { revokeAllSessions } from './sessions.service'
import { findUserById, toUserDto } from './users.service'

async function targetUser(deps: Deps, id: string) {
  const user = await findUserById(deps, id)
  if (!user) throw new HttpError(404, 'NOT_FOUND', { message: 'No user with this id.' })
  return user
}

export async function setUserRole(
  deps: Deps,
  meta: RequestMeta,
  actorId: string,
  userId: string,
  role: 'user' | 'admin',
) {
  const user = await targetUser(deps, userId)
  if (user.role === role) return toUserDto(deps, user)
  // One conditional statement: a demotion happens only while another admin remains, so two
  // admins demoting each other at once leave one.
  const otherAdmin = sql`EXISTS (SELECT 1 FROM ${users} AS other
    WHERE other.role = 'admin' AND other.id <> ${user.id})`
  const changed = await deps.db
    .update(users)
    .set({ role, roleSince: deps.now() })
    .where(
      and(
        eq(users.id, user.id),
        eq(users.role, user.role),
        role === 'user' ? otherAdmin : undefined,
      ),
    )
    .returning({ id: users.id })
  if (changed.length === 0) {
    const current = await targetUser(deps, user.id)
    if (current.role !== role) throw new HttpError(409, 'LAST_ADMIN')
    // A parallel request made the same change (and recorded it).
    return toUserDto(deps, current)
  }
  await recordEvent(deps, meta, {
    action: 'admin_role_changed',
    userId: user.id,
    actorId,
    metadata: { from: user.role, to: role },
  })
  return toUserDto(deps, { ...user, role })
}

/** Removes the user's second factor, backup codes, trusted devices, sessions and lock. */
export async function resetUserTwoFactor(
  deps: Deps,
  meta: RequestMeta,
  actorId: string,
  userId: string,
  reason: string | undefined,
) {
  const user = await targetUser(deps, userId)
  if (user.id === actorId) throw new HttpError(400, 'CANNOT_RESET_SELF')
  await removeSecondFactor(deps, user.id)
  await Promise.all([
    revokeAllSessions(deps, user.id),
    clearCounter(deps.db, twoFactorKey(user.id)),
  ])
  await recordEvent(deps, meta, {
    action: 'admin_two_factor_reset',
    userId: user.id,
    actorId,
    metadata: { reason: reason ?? null },
  })
  notify(deps, user.email, { kind: 'two_factor_reset', reason })
  return { user: await toUserDto(deps, user) }
}

/** Clears the second-factor lock and the password throttle of one account. */
export async function unlockUser(deps: Deps, meta: RequestMeta, actorId: string, userId: string) {
  const user = await targetUser(deps, userId)
  await Promise.all([
    clearCounter(deps.db, twoFactorKey(user.id)),
    clearCounter(deps.db, passwordAccountKey(user.email)),
  ])
  await recordEvent(deps, meta, { action: 'admin_unlock', userId: user.id, actorId })
  return { user: await toUserDto(deps, user) }
}
