/**
 * One place where a second-factor code is judged, for sign-in and for the user's own changes:
 * the account's failure counter is reserved first (so a locked account evaluates nothing), then
 * the caller's claim runs, then the counter is cleared or the failure recorded.
 */
import type { Deps, RequestMeta } from '../context'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { notify } from '../lib/notify'
import type { MethodName } from '../schemas'
import {
  clearCounter,
  recordFailure,
  reserveAttempt,
  twoFactorKey,
  type CounterRule,
} from './counters.service'
import { recordEvent } from './audit.service'
import { claimTotp, consumeBackupCode } from './factor.service'

export interface CodeInput {
  kind: MethodName
  value: string
}

/** What a claim that succeeded used. */
export interface Passed {
  method: MethodName
  backupCodesRemaining?: number
}

/** Uses a code once: what it passed with, or null when it was not a live code. */
export type Claim = () => Promise<Passed | null>

export type CheckResult =
  | ({ status: 'passed' } & Passed)
  | { status: 'failed'; lockedUntil: number | null }
  | { status: 'locked'; retryAfterSeconds: number }

export type SecondFactorUser = { id: string; email: string }

export const twoFactorRule = (deps: Deps, userId: string): CounterRule => ({
  key: twoFactorKey(userId),
  limit: deps.limits.twoFactorFailures,
  windowMs: null,
  lockMs: deps.limits.twoFactorLockSeconds * 1000,
})

/**
 * Reserves one attempt on the account's counter, runs `claim`, then clears the counter (a pass)
 * or records the failure, which locks the account at the limit (audited, and the user mailed).
 */
export async function checkSecondFactor(
  deps: Deps,
  meta: RequestMeta,
  user: SecondFactorUser,
  claim: Claim,
): Promise<CheckResult> {
  const { db, now } = deps
  const rule = twoFactorRule(deps, user.id)
  const reservation = await reserveAttempt(db, rule, now())
  if (!reservation.ok) return { status: 'locked', retryAfterSeconds: reservation.retryAfterSeconds }
  const passed = await claim()
  if (passed) {
    await clearCounter(db, rule.key)
    return { status: 'passed', ...passed }
  }
  const lockedUntil = await recordFailure(db, rule, now())
  if (lockedUntil) {
    await recordEvent(deps, meta, {
      action: 'account_locked',
      userId: user.id,
      metadata: { until: new Date(lockedUntil).toISOString(), failures: rule.limit },
    })
    notify(deps, user.email, { kind: 'account_locked', until: lockedUntil })
  }
  return { status: 'failed', lockedUntil }
}

/**
 * The claim of a TOTP or backup code. A used backup code is audited and mailed about; an
 * emailed code is not the factor's (sign-in claims it), so it passes nothing here.
 */
export const claimFactorCode =
  (deps: Deps, meta: RequestMeta, user: SecondFactorUser, code: CodeInput): Claim =>
  async () => {
    if (code.kind === 'totp') {
      return (await claimTotp(deps, user.id, code.value)) ? { method: 'totp' } : null
    }
    if (code.kind !== 'backup_code') return null
    const remaining = await consumeBackupCode(deps, user.id, code.value)
    if (remaining === null) return null
    await recordEvent(deps, meta, {
      action: 'backup_code_used',
      userId: user.id,
      metadata: { remaining },
    })
    notify(deps, user.email, { kind: 'backup_code_used', remaining })
    return { method: 'backup_code', backupCodesRemaining: remaining }
  }

/** A code for a change to one's own factor: passes, or throws the contract's errors. */
export async function requireFactorCode(
  deps: Deps,
  meta: RequestMeta,
  user: SecondFactorUser,
  code: CodeInput,
): Promise<Passed> {
  const result = await checkSecondFactor(deps, meta, user, claimFactorCode(deps, meta, user, code))
  if (result.status === 'locked') throw tooManyAttempts(result.retryAfterSeconds)
  if (result.status === 'failed') {
    if (result.lockedUntil) throw tooManyAttempts((result.lockedUntil - deps.now()) / 1000)
    throw new HttpError(401, 'INVALID_CODE')
  }
  return result
}
