/**
 * The sign-in challenge: issued after the password, passed with a TOTP, backup or email code.
 */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { Deps } from '../context'
import { prepared } from '../db/prepared'
import { challenges } from '../db/schema'
import { newId, randomToken, sha256Hex } from '../lib/crypto'
import { HttpError } from '../lib/errors'
import { iso } from '../lib/time'
import type { MethodName } from '../schemas'

export async function issueChallenge(deps: Deps, userId: string, emailFallback: boolean) {
  const { db, now, limits } = deps
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
  const methods: MethodName[] = [
    'totp',
    'backup_code',
    ...(emailFallback ? (['email'] as const) : []),
  ]
  return { token, expiresAt: iso(expiresAt)!, methods }
}

/** The challenge with this token, unspent, unexpired, with attempts left (placeholders). */
const live = and(
  eq(challenges.tokenHash, sql.placeholder('tokenHash')),
  isNull(challenges.consumedAt),
  gt(challenges.expiresAt, sql.placeholder('now')),
  lt(challenges.attempts, sql.placeholder('limit')),
)

const liveArgs = async (deps: Deps, token: string) => ({
  tokenHash: await sha256Hex(token),
  now: deps.now(),
  limit: deps.limits.challengeAttempts,
})

const takeAttempt = prepared((db) =>
  db
    .update(challenges)
    .set({ attempts: sql`${challenges.attempts} + 1`, consumedAt: sql`${sql.placeholder('now')}` })
    .where(live)
    .returning()
    .prepare(),
)

const selectLive = prepared((db) => db.select().from(challenges).where(live).prepare())

export type ClaimedChallenge = typeof challenges.$inferSelect

/**
 * Takes one attempt on a live challenge and holds it (consumed_at set) while the code is
 * checked, in one statement: parallel requests on one challenge are evaluated one at a time,
 * and never more than the limit in all.
 */
export async function claimChallenge(deps: Deps, token: string): Promise<ClaimedChallenge> {
  const [row] = await takeAttempt(deps.db).all(await liveArgs(deps, token))
  if (!row) throw new HttpError(401, 'INVALID_CHALLENGE')
  return row
}

/** Opens the challenge again after a wrong code; `refund` also returns the attempt. */
export async function releaseChallenge(deps: Deps, challenge: ClaimedChallenge, refund = false) {
  await deps.db
    .update(challenges)
    .set({
      consumedAt: null,
      ...(refund ? { attempts: sql`max(${challenges.attempts} - 1, 0)` } : {}),
    })
    .where(eq(challenges.id, challenge.id))
}

/** Looks up a live challenge without taking an attempt (for sending an email code). */
export async function findLiveChallenge(deps: Deps, token: string) {
  const [row] = await selectLive(deps.db).all(await liveArgs(deps, token))
  if (!row) throw new HttpError(401, 'INVALID_CHALLENGE')
  return row
}
