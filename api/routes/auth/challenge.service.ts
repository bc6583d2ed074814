/**
 * The sign-in challenge: issued after the password, passed with a TOTP, backup or email code.
 */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { Ctx } from '../../context'
import { challenges } from '../../db/schema'
import { newId, randomToken, sha256Hex } from '../../lib/crypto'
import { ApiError } from '../../lib/errors'
import { iso } from '../../lib/request-meta'
import type { MethodName } from '../../schemas'

export async function issueChallenge(c: Ctx, userId: string, emailFallback: boolean) {
  const { db, now, limits } = c.var.deps
  const token = randomToken()
  const createdAt = now()
  const expiresAt = createdAt + limits.challengeTtlSeconds * 1000
  await db.insert(challenges).values({
    id: newId('chl'),
    userId,
    tokenHash: await sha256Hex(token),
    createdAt,
    expiresAt,
  })
  const methods: MethodName[] = ['totp', 'backup_code', ...(emailFallback ? (['email'] as const) : [])]
  return { token, expiresAt: iso(expiresAt)!, methods }
}

/** The challenge with this token, unspent, unexpired, with attempts left. */
async function isLive(c: Ctx, token: string) {
  const { now, limits } = c.var.deps
  return and(
    eq(challenges.tokenHash, await sha256Hex(token)),
    isNull(challenges.consumedAt),
    gt(challenges.expiresAt, now()),
    lt(challenges.attempts, limits.challengeAttempts),
  )
}

export type ClaimedChallenge = typeof challenges.$inferSelect

/**
 * Takes one attempt on a live challenge and holds it (consumed_at set) while the code is
 * checked, in one statement: parallel requests on one challenge are evaluated one at a time,
 * and never more than the limit in all.
 */
export async function claimChallenge(c: Ctx, token: string): Promise<ClaimedChallenge> {
  const { db, now } = c.var.deps
  const [row] = await db
    .update(challenges)
    .set({ attempts: sql`${challenges.attempts} + 1`, consumedAt: now() })
    .where(await isLive(c, token))
    .returning()
  if (!row) throw new ApiError(401, 'INVALID_CHALLENGE')
  return row
}

/** Opens the challenge again after a wrong code; `refund` also returns the attempt. */
export async function releaseChallenge(c: Ctx, challenge: ClaimedChallenge, refund = false) {
  await c.var.deps.db
    .update(challenges)
    .set({
      consumedAt: null,
      ...(refund ? { attempts: sql`max(${challenges.attempts} - 1, 0)` } : {}),
    })
    .where(eq(challenges.id, challenge.id))
}

/** Looks up a live challenge without taking an attempt (for sending an email code). */
export async function findLiveChallenge(c: Ctx, token: string) {
  const [row] = await c.var.deps.db.select().from(challenges).where(await isLive(c, token))
  if (!row) throw new ApiError(401, 'INVALID_CHALLENGE')
  return row
}
