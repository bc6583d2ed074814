/**
 * One place where a second-factor code is judged, for sign-in and for the user's own changes:
 * the account's failure counter is reserved first (so a locked account evaluates nothing),
 * then the code is claimed, then the counter is cleared or the failure recorded.
 */
import type { Ctx } from '../../context'
import { recordEvent } from '../../lib/audit'
import { clearCounter, recordFailure, reserveAttempt, twoFactorKey, type CounterRule } from '../../lib/counters'
import { notify } from '../../lib/notify'
import type { MethodName } from '../../schemas'
import { claimTotp, consumeBackupCode } from './factor.service'

export interface CodeInput {
  kind: MethodName
  value: string
}

export type CheckResult =
  | { status: 'passed'; method: MethodName; backupCodesRemaining?: number }
  | { status: 'failed'; lockedUntil: number | null }
  | { status: 'locked'; retryAfterSeconds: number }

export const twoFactorRule = (c: Ctx, userId: string): CounterRule => ({
  key: twoFactorKey(userId),
  limit: c.var.deps.limits.twoFactorFailures,
  windowMs: null,
  lockMs: c.var.deps.limits.twoFactorLockSeconds * 1000,
})

export interface CheckOptions {
  /** Checks an emailed code (bound to a challenge); absent where email codes do not apply. */
  checkEmailCode?: (code: string) => Promise<boolean>
  /** Six digits with no method named: try the pending emailed code, then TOTP. */
  emailFirst?: boolean
}

export async function checkSecondFactor(
  c: Ctx,
  user: { id: string; email: string },
  code: CodeInput,
  options: CheckOptions = {},
): Promise<CheckResult> {
  const { db, now } = c.var.deps
  const rule = twoFactorRule(c, user.id)
  const reservation = await reserveAttempt(db, rule, now())
  if (!reservation.ok) return { status: 'locked', retryAfterSeconds: reservation.retryAfterSeconds }

  let passed = false
  let method = code.kind
  let backupCodesRemaining: number | undefined
  if (code.kind === 'totp' && options.emailFirst && (await options.checkEmailCode?.(code.value))) {
    passed = true
    method = 'email'
  } else if (code.kind === 'totp') passed = await claimTotp(c, user.id, code.value)
  else if (code.kind === 'email') passed = (await options.checkEmailCode?.(code.value)) ?? false
  else {
    const remaining = await consumeBackupCode(c, user.id, code.value)
    passed = remaining !== null
    if (remaining !== null) backupCodesRemaining = remaining
  }

  if (passed) {
    await clearCounter(db, rule.key)
    if (code.kind === 'backup_code') {
      await recordEvent(c, { action: 'backup_code_used', userId: user.id, metadata: { remaining: backupCodesRemaining! } })
      notify(c, user.email, { kind: 'backup_code_used', remaining: backupCodesRemaining! })
    }
    return { status: 'passed', method, backupCodesRemaining }
  }
  const lockedUntil = await recordFailure(db, rule, now())
  if (lockedUntil) {
    await recordEvent(c, {
      action: 'account_locked',
      userId: user.id,
      metadata: { until: new Date(lockedUntil).toISOString(), failures: rule.limit },
    })
    notify(c, user.email, { kind: 'account_locked', until: lockedUntil })
  }
  return { status: 'failed', lockedUntil }
}
