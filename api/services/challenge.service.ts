/**
 * The sign-in challenge: issued after the password; passed (one read, one batch) in
 * second-step.service.ts with a TOTP, backup or email code.
 */
import type { Deps } from '../context'
import { challenges } from '../db/schema'
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
  const methods: MethodName[] = [
    'totp',
    'backup_code',
    ...(emailFallback ? (['email'] as const) : []),
  ]
  return { token, expiresAt: iso(expiresAt)!, methods }
}
