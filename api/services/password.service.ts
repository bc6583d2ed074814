import { and, eq, ne } from 'drizzle-orm'
import type { Auth, Deps, RequestMeta } from '../context'
import { sessions, users } from '../db/schema'
import { hashPassword, verifyPassword } from '../lib/crypto'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { notify } from '../lib/notify'
import { ipBucket } from '../lib/ip-bucket'
import { recordEvent } from './audit.service'
import {
  passwordAccountKey,
  passwordIpKey,
  recordFailure,
  releaseAll,
  reserveAll,
  signUpIpKey,
  type CounterRule,
} from './counters.service'
import { revokeDevices } from './trusted-devices.service'
import { findUserByEmail, findUserById, toAuthUser } from './users.service'

// Unknown emails cost the same PBKDF2 work as known ones, so timing does not tell them apart.
let dummyHash: Promise<string> | undefined

/** The account's password rule: sign-in and password change share it. */
export function passwordAccountRule(deps: Deps, email: string): CounterRule {
  const { limits } = deps
  const windowMs = limits.passwordWindowSeconds * 1000
  return {
    key: passwordAccountKey(email),
    limit: limits.passwordFailuresPerAccount,
    windowMs,
    lockMs: windowMs,
  }
}

function passwordIpRule(deps: Deps, meta: RequestMeta): CounterRule {
  const { limits } = deps
  const windowMs = limits.passwordWindowSeconds * 1000
  return {
    key: passwordIpKey(ipBucket(meta.ip)),
    limit: limits.passwordFailuresPerIp,
    windowMs,
    lockMs: windowMs,
  }
}

/**
 * Runs `check` (a password evaluation) behind the given rules: one try on each is reserved in
 * the database first (one conditional statement each), so parallel requests never evaluate more
 * than a rule's limit. A failure keeps the tries (and locks a rule that is full); a success hands
 * back only its own, so failures that parallel requests recorded stay counted.
 */
export async function withPasswordTries<T>(
  deps: Deps,
  rules: CounterRule[],
  check: () => Promise<T | null>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  const { db, now } = deps
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
export async function checkPassword(
  deps: Deps,
  meta: RequestMeta,
  input: { email: string; password: string },
) {
  const seen: { user: Awaited<ReturnType<typeof findUserByEmail>> | null } = { user: null }
  const result = await withPasswordTries(
    deps,
    [passwordAccountRule(deps, input.email), passwordIpRule(deps, meta)],
    async () => {
      const user = (seen.user = await findUserByEmail(deps, input.email))
      // A host's user (embedded mode) has no password here: it fails like an unknown email.
      const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword('not a password')))
      const valid = await verifyPassword(input.password, hash)
      return user?.passwordHash && valid ? user : null
    },
  )
  if (result.ok) return toAuthUser(result.value)
  await recordEvent(deps, meta, {
    action: 'sign_in_failed',
    userId: seen.user?.id ?? null,
    metadata: { step: 'password' },
  })
  throw new HttpError(401, 'INVALID_CREDENTIALS')
}

/**
 * Sign-ups per client IP in one window, reserved before the password is hashed: a burst hashes
 * at most the limit. Every sign-up counts (a taken email cost a hash too).
 */
export async function reserveSignUp(deps: Deps, meta: RequestMeta): Promise<void> {
  const { db, now, limits } = deps
  const windowMs = limits.signUpWindowSeconds * 1000
  const rule = {
    key: signUpIpKey(ipBucket(meta.ip)),
    limit: limits.signUpsPerIp,
    windowMs,
    lockMs: windowMs,
  }
  const taken = await reserveAll(db, [rule], now())
  if (!Array.isArray(taken)) throw tooManyAttempts(taken.retryAfterSeconds)
}

/**
 * Changing the password signs out every other session and forgets every trusted device. The
 * current password is checked behind the account's password limit (a try reserved first), so a
 * stolen session cannot guess it; failures are audited, and the user is mailed on every change.
 */
export async function changePassword(
  deps: Deps,
  meta: RequestMeta,
  auth: Pick<Auth, 'user' | 'sessionId'>,
  input: { currentPassword: string; newPassword: string },
) {
  const user = await findUserById(deps, auth.user.id)
  if (!user) throw new HttpError(401, 'UNAUTHORIZED')
  const rules = [passwordAccountRule(deps, user.email)]
  const hash = user.passwordHash
  const checked = await withPasswordTries(deps, rules, async () =>
    hash !== null && (await verifyPassword(input.currentPassword, hash)) ? true : null,
  )
  if (!checked.ok) {
    await recordEvent(deps, meta, {
      action: 'sign_in_failed',
      userId: user.id,
      metadata: { step: 'password_change' },
    })
    throw new HttpError(401, 'INVALID_CREDENTIALS', { message: 'The current password is wrong.' })
  }
  const { db } = deps
  const passwordHash = await hashPassword(input.newPassword)
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, user.id)),
    db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, auth.sessionId))),
  ])
  const revoked = await revokeDevices(deps, user.id)
  await recordEvent(deps, meta, {
    action: 'password_changed',
    userId: user.id,
    metadata: { trustedDevicesRevoked: revoked },
  })
  notify(deps, user.email, { kind: 'password_changed' })
}
