import type { Ctx } from '../../context'
import { recordEvent } from '../../lib/audit'
import {
  activeLock,
  clearCounter,
  countFailure,
  passwordAccountKey,
  passwordIpKey,
  type CounterRule,
} from '../../lib/counters'
import { hashPassword, verifyPassword } from '../../lib/crypto'
import { ApiError, tooManyAttempts } from '../../lib/errors'
import { clientIp } from '../../lib/request-meta'
import { findUserByEmail, toAuthUser } from './users.service'

// Unknown emails cost the same PBKDF2 work as known ones, so timing does not tell them apart.
let dummyHash: Promise<string> | undefined

function rules(c: Ctx, email: string): [CounterRule, CounterRule] {
  const { limits } = c.var.deps
  const windowMs = limits.passwordWindowSeconds * 1000
  return [
    { key: passwordAccountKey(email), limit: limits.passwordFailuresPerAccount, windowMs, lockMs: windowMs },
    { key: passwordIpKey(clientIp(c)), limit: limits.passwordFailuresPerIp, windowMs, lockMs: windowMs },
  ]
}

/**
 * Checks email and password behind two throttles kept in the database: failures per account
 * and per client IP (successes do not count, so an office behind one address is not turned
 * away). Unknown email and wrong password answer alike.
 */
export async function checkPassword(c: Ctx, input: { email: string; password: string }) {
  const { db, now } = c.var.deps
  const [account, ip] = rules(c, input.email)
  for (const rule of [account, ip]) {
    const until = await activeLock(db, rule.key, now())
    if (until) throw tooManyAttempts((until - now()) / 1000)
  }

  const user = await findUserByEmail(c, input.email)
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, await (dummyHash ??= hashPassword('not a password')))
  if (user && valid) {
    await clearCounter(db, account.key)
    return toAuthUser(user)
  }
  await Promise.all([countFailure(db, account, now()), countFailure(db, ip, now())])
  await recordEvent(c, { action: 'sign_in_failed', userId: user?.id ?? null, metadata: { step: 'password' } })
  throw new ApiError(401, 'INVALID_CREDENTIALS')
}
