/**
 * The sign-in challenge: issued after the password; passed (one read, one batch) in
 * second-step.service.ts with a TOTP, backup or email code.
 */
import { and, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm'
import type { Deps, WebAuthnSite } from '../context'
import { authenticators, challenges } from '../db/schema'
import { HttpError } from '../lib/errors'
import { authenticationOptions } from './passkey.service'
import { newId, randomToken, sha256Hex } from '../lib/crypto'
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
  const held = await deps.db
    .select({ type: authenticators.type })
    .from(authenticators)
    .where(and(eq(authenticators.userId, userId), isNotNull(authenticators.confirmedAt)))
  const methods: MethodName[] = [
    ...(held.some((a) => a.type === 'totp') ? (['totp'] as const) : []),
    ...(held.some((a) => a.type === 'passkey') ? (['passkey'] as const) : []),
    'backup_code',
    ...(emailFallback ? (['email'] as const) : []),
  ]
  return { token, expiresAt: iso(expiresAt)!, methods }
}

/**
 * Request options for passing this sign-in challenge with a passkey: only the user's passkeys;
 * the WebAuthn challenge is bound to the sign-in challenge (asking again replaces it).
 */
export async function passkeySignInOptions(deps: Deps, site: WebAuthnSite, challengeToken: string) {
  const { db, now, limits } = deps
  const [challenge] = await db
    .select({ id: challenges.id, userId: challenges.userId })
    .from(challenges)
    .where(
      and(
        eq(challenges.tokenHash, await sha256Hex(challengeToken)),
        isNull(challenges.consumedAt),
        gt(challenges.expiresAt, now()),
        lt(challenges.attempts, limits.challengeAttempts),
      ),
    )
  if (!challenge) throw new HttpError(401, 'INVALID_CHALLENGE')
  const binding = { userId: challenge.userId, purpose: 'sign_in' as const, boundTo: challenge.id }
  return authenticationOptions(deps, site, binding)
}
