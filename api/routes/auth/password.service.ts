import type { Ctx } from '../../context'
import { recordEvent } from '../../lib/audit'
import {
  passwordAccountKey,
  passwordIpKey,
  recordFailure,
  releaseAll,
  reserveAll,
  signUpIpKey,
  type CounterRule,
} from '../../lib/counters'
import { hashPassword, verifyPassword } from '../../lib/crypto'
import { ApiError, tooManyAttempts } from '../../lib/errors'
import { clientIp, ipBucket } from '../../lib/request-meta'
import { findUserByEmail, toAuthUser } from './users.service'

// Unknown emails cost the same PBKDF2 work as known ones, so timing does not tell them apart.
let dummyHash: Promise<string> | undefined

/** The account's password rule: sign-in and password change share it. */
export function passwordAccountRule(c: Ctx, email: string): CounterRule {
  const { limits } = c.var.deps
  const windowMs = limits.passwordWindowSeconds * 1000
  return { key: passwordAccountKey(email), limit: limits.passwordFailuresPerAccount, windowMs, lockMs: windowMs }
}

function passwordIpRule(c: Ctx): CounterRule {
  const { limits } = c.var.deps
  const windowMs = limits.passwordWindowSeconds * 1000
  return { key: passwordIpKey(ipBucket(clientIp(c))), limit: limits.passwordFailuresPerIp, windowMs, lockMs: windowMs }
}

/**
 * Runs `check` (a password evaluation) behind the given rules: one try on each is reserved in
 * the database first (one conditional statement each), so parallel requests never evaluate more
 * than a rule's limit. A failure keeps the tries (and locks a rule that is full); a success hands
 * back only its own, so failures that parallel requests recorded stay counted.
 */
export async function withPasswordTries<T>(
  c: Ctx,
  rules: CounterRule[],
  check: () => Promise<T | null>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  const { db, now } = c.var.deps
  const taken = await reserveAll(db, rules, now())
  if (!Array.isArray(taken)) throw tooManyAttempts(taken.retryAfterSeconds)
  const value = await check()
  if (value !== null) {
    await releaseAll(db, rules, taken)
    return { ok: true, value }
  }
  await Promise.all(rules.map((rule) => recordFailure(db, rule, now())))
  return { ok: false }
}

/**
 * Checks email and password behind two throttles kept in the database: tries per account and
 * per client IP (an IPv6 address counts by its /64). Only failures stay counted, so an office
 * behind one address is not turned away. Unknown email and wrong password answer alike.
 */
export async function checkPassword(c: Ctx, input: { email: string; password: string }) {
  const seen: { user: Awaited<ReturnType<typeof findUserByEmail>> | null } = { user: null }
  const result = await withPasswordTries(c, [passwordAccountRule(c, input.email), passwordIpRule(c)], async () => {
    const user = (seen.user = await findUserByEmail(c, input.email))
    const valid = user
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyPassword(input.password, await (dummyHash ??= hashPassword('not a password')))
    return user && valid ? user : null
  })
  if (result.ok) return toAuthUser(result.value)
  await recordEvent(c, { action: 'sign_in_failed', userId: seen.user?.id ?? null, metadata: { step: 'password' } })
  throw new ApiError(401, 'INVALID_CREDENTIALS')
}

/**
 * Sign-ups per client IP in one window, reserved before the password is hashed: a burst hashes
 * at most the limit. Every sign-up counts (a taken email cost a hash too).
 */
export async function reserveSignUp(c: Ctx): Promise<void> {
  const { db, now, limits } = c.var.deps
  const windowMs = limits.signUpWindowSeconds * 1000
  const rule = { key: signUpIpKey(ipBucket(clientIp(c))), limit: limits.signUpsPerIp, windowMs, lockMs: windowMs }
  const taken = await reserveAll(db, [rule], now())
  if (!Array.isArray(taken)) throw tooManyAttempts(taken.retryAfterSeconds)
}
