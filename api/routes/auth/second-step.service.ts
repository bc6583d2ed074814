import type { Ctx } from '../../context'
import { recordEvent, recordEvents } from '../../lib/audit'
import { ApiError, tooManyAttempts } from '../../lib/errors'
import type { MethodName } from '../../schemas'
import { classifyCode } from '../two-factor/factor.service'
import { rememberDevice } from '../two-factor/trusted-devices.service'
import { checkSecondFactor } from '../two-factor/verify.service'
import { claimChallenge, releaseChallenge } from './challenge.service'
import { consumeEmailCode } from './email-code.service'
import { findUserById, toAuthUser } from './users.service'

export interface SecondStepInput {
  challengeToken: string
  code: string
  method?: MethodName
  rememberDevice?: boolean
}

/**
 * The second sign-in step. The challenge is held while the code is judged, so a challenge
 * yields at most one session and at most its attempt limit in evaluations.
 */
export async function passChallenge(c: Ctx, input: SecondStepInput) {
  // A malformed code is bad input (400) and costs no attempt.
  const code = classifyCode(input.code, input.method)
  const challenge = await claimChallenge(c, input.challengeToken)
  const row = await findUserById(c, challenge.userId)
  if (!row) throw new ApiError(401, 'INVALID_CHALLENGE')
  const user = toAuthUser(row)
  // Without an explicit method, six digits may be the emailed code (when one is pending) or a
  // TOTP code: both are tried within the one attempt.
  const result = await checkSecondFactor(c, user, code, {
    checkEmailCode: (value) => consumeEmailCode(c, challenge.id, value),
    emailFirst: !input.method && code.kind === 'totp' && challenge.emailCodeHash !== null,
  })
  if (result.status === 'locked') {
    await releaseChallenge(c, challenge, true)
    throw tooManyAttempts(result.retryAfterSeconds)
  }
  if (result.status === 'failed') {
    await releaseChallenge(c, challenge)
    const attemptsRemaining = Math.max(0, c.var.deps.limits.challengeAttempts - challenge.attempts)
    await recordEvent(c, {
      action: 'two_factor_challenge_failed',
      userId: user.id,
      metadata: { method: code.kind, attemptsRemaining },
    })
    if (result.lockedUntil) throw tooManyAttempts((result.lockedUntil - c.var.deps.now()) / 1000)
    throw new ApiError(401, 'INVALID_CODE', { attemptsRemaining })
  }

  const metadata = { method: result.method }
  await recordEvents(c, [
    { action: 'two_factor_challenge_passed', userId: user.id, metadata },
    { action: 'sign_in', userId: user.id, metadata },
  ])
  if (input.rememberDevice) {
    const { label } = await rememberDevice(c, user.id)
    await recordEvent(c, { action: 'trusted_device_added', userId: user.id, metadata: { label } })
  }
  return { user, method: result.method, backupCodesRemaining: result.backupCodesRemaining }
}
