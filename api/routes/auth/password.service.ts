import type { Ctx } from '../../context'
import { recordEvent } from '../../lib/audit'
import {
  clearCounter,
  passwordAccountKey,
  passwordIpKey,
  recordFailure,
  releaseAttempt,
  reserveAttempt,
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
 * and per client IP. Unknown email and wrong password answer alike.
 */
export async function checkPassword(c: Ctx, input: { email: string; password: string }) {
  const { db, now } = c.var.deps
  const [account, ip] = rules(c, input.email)
  const forAccount = await reserveAttempt(db, account, now())
  if (!forAccount.ok) throw tooManyAttempts(forAccount.retryAfterSeconds)
  const forIp = await reserveAttempt(db, ip, now())
  if (!forIp.ok) {
    await releaseAttempt(db, account.key)
    throw tooManyAttempts(forIp.retryAfterSeconds)
  }

  const user = await findUserByEmail(c, input.email)
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, await (dummyHash ??= hashPassword('not a password')))
  if (user && valid) {
    await Promise.all([clearCounter(db, account.key), releaseAttempt(db, ip.key)])
    return toAuthUser(user)
  }
  await Promise.all([recordFailure(db, account, now()), recordFailure(db, ip, now())])
  await recordEvent(c, { action: 'sign_in_failed', userId: user?.id ?? null, metadata: { step: 'password' } })
  throw new ApiError(401, 'INVALID_CREDENTIALS')
}
