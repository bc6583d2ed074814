/**
 * Signing up and the two sign-in steps: the password, then (with a second factor) the challenge.
 * Each returns the contract's answer and the tokens the edge sets as cookies.
 */
import type { AuthUser, Deps, RequestMeta } from '../context'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { iso } from '../lib/time'
import type { MethodName, SignInAnswer, UserDto } from '../schemas'
import { recordEvent, recordEvents } from './audit.service'
import { claimChallenge, issueChallenge, releaseChallenge } from './challenge.service'
import { consumeEmailCode } from './email-code.service'
import { classifyCode } from './factor.service'
import { checkPassword, reserveSignUp } from './password.service'
import { getPolicy, requirementFor, type StoredPolicy } from './policy.service'
import { checkSecondFactor, claimFactorCode, type Claim } from './second-factor.service'
import { createSession, type NewSession } from './sessions.service'
import { rememberDevice, useTrustedDevice, type DeviceToken } from './trusted-devices.service'
import {
  createUser,
  findUserById,
  toAuthUser,
  toUserDto,
  twoFactorEnabledAt,
} from './users.service'

const sessionDto = (session: NewSession) => ({
  token: session.token,
  expiresAt: iso(session.expiresAt)!,
})

/** Creates the account (the first one becomes admin) and signs it in. */
export async function signUp(
  deps: Deps,
  meta: RequestMeta,
  input: { email: string; password: string; name?: string },
) {
  // Each sign-up costs a password hash: one try per client IP is reserved before it.
  await reserveSignUp(deps, meta)
  const user = await createUser(deps, input)
  await recordEvent(deps, meta, {
    action: 'sign_up',
    userId: user.id,
    metadata: { role: user.role },
  })
  const session = await createSession(deps, meta, user)
  return { answer: { user: await toUserDto(deps, user), session: sessionDto(session) }, session }
}

/** A session for a user whose second-factor state the caller already knows. */
async function authenticated(
  deps: Deps,
  meta: RequestMeta,
  user: AuthUser,
  twoFactorEnabled: boolean,
  policy: StoredPolicy,
) {
  const session = await createSession(deps, meta, user)
  const { required, deadline } = requirementFor(policy, user)
  const dto = { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled }
  const setup =
    required && !twoFactorEnabled
      ? { twoFactorSetupRequired: true as const, setupDeadline: iso(deadline)! }
      : {}
  const answer = { status: 'authenticated' as const, user: dto, session: sessionDto(session) }
  return { answer: { ...answer, ...setup }, session }
}

/**
 * The first step: the password. With a second factor, a live trusted-device token (rotated
 * here) signs in at once; otherwise the answer is a challenge and no session yet.
 */
export async function signIn(
  deps: Deps,
  meta: RequestMeta,
  input: { email: string; password: string },
  deviceToken: string | null,
): Promise<{ answer: SignInAnswer; session?: NewSession; device?: DeviceToken }> {
  const user = await checkPassword(deps, meta, input)
  const policy = await getPolicy(deps)
  if ((await twoFactorEnabledAt(deps, user.id)) === null) {
    const metadata = { secondFactor: false }
    await recordEvent(deps, meta, { action: 'sign_in', userId: user.id, metadata })
    return authenticated(deps, meta, user, false, policy)
  }
  const device = await useTrustedDevice(deps, user.id, deviceToken)
  if (device) {
    const metadata = { trustedDevice: true }
    await recordEvent(deps, meta, { action: 'sign_in', userId: user.id, metadata })
    return { ...(await authenticated(deps, meta, user, true, policy)), device }
  }
  const challenge = await issueChallenge(deps, user.id, policy.emailFallback)
  return { answer: { status: 'two_factor_required' as const, challenge } }
}

export interface SecondStepInput {
  challengeToken: string
  code: string
  method?: MethodName
  rememberDevice?: boolean
}

/** The second step passed: the answer, the session (unless not issued) and a trusted device. */
interface SecondStepResult<S extends NewSession | null> {
  answer: {
    status: 'authenticated'
    user: UserDto
    method: MethodName
    backupCodesRemaining?: number
  } & (S extends NewSession ? { session: ReturnType<typeof sessionDto> } : unknown)
  session: S
  device: DeviceToken | undefined
}

/**
 * The second step. The challenge is held while the code is judged, so a challenge yields at
 * most one session and at most its attempt limit in evaluations. With `issueSession: false`
 * (embedded mode: the host signs the user in) no Twofold session is created.
 */
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
): Promise<SecondStepResult<NewSession>>
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
  options: { issueSession: false },
): Promise<SecondStepResult<null>>
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
  options: { issueSession?: boolean } = {},
): Promise<SecondStepResult<NewSession | null>> {
  // A malformed code is bad input (400) and costs no attempt.
  const code = classifyCode(input.code, input.method)
  const challenge = await claimChallenge(deps, input.challengeToken)
  const row = await findUserById(deps, challenge.userId)
  if (!row) throw new HttpError(401, 'INVALID_CHALLENGE')
  const user = toAuthUser(row)
  const emailCode: Claim = async () =>
    (await consumeEmailCode(deps, challenge.id, code.value)) ? { method: 'email' } : null
  // Without an explicit method, six digits may be the emailed code (when one is pending) or a
  // TOTP code: both are tried within the one attempt.
  const emailFirst = !input.method && code.kind === 'totp' && challenge.emailCodeHash !== null
  const factorCode = claimFactorCode(deps, meta, user, code)
  const claim: Claim =
    code.kind === 'email'
      ? emailCode
      : emailFirst
        ? async () => (await emailCode()) ?? factorCode()
        : factorCode
  const result = await checkSecondFactor(deps, meta, user, claim)
  if (result.status === 'locked') {
    await releaseChallenge(deps, challenge, true)
    throw tooManyAttempts(result.retryAfterSeconds)
  }
  if (result.status === 'failed') {
    await releaseChallenge(deps, challenge)
    const attemptsRemaining = Math.max(0, deps.limits.challengeAttempts - challenge.attempts)
    await recordEvent(deps, meta, {
      action: 'two_factor_challenge_failed',
      userId: user.id,
      metadata: { method: code.kind, attemptsRemaining },
    })
    if (result.lockedUntil) throw tooManyAttempts((result.lockedUntil - deps.now()) / 1000)
    throw new HttpError(401, 'INVALID_CODE', { attemptsRemaining })
  }

  const { method, backupCodesRemaining } = result
  await recordEvents(deps, meta, [
    { action: 'two_factor_challenge_passed', userId: user.id, metadata: { method } },
    { action: 'sign_in', userId: user.id, metadata: { method } },
  ])
  const device = input.rememberDevice ? await rememberDevice(deps, meta, user.id) : undefined
  const session = options.issueSession === false ? null : await createSession(deps, meta, user)
  const remaining = backupCodesRemaining === undefined ? {} : { backupCodesRemaining }
  // Passing the step proved the factor: no need to read it again.
  const dto = { id: user.id, email: user.email, name: user.name, role: user.role }
  const answer = {
    status: 'authenticated' as const,
    user: { ...dto, twoFactorEnabled: true },
    ...(session && { session: sessionDto(session) }),
    method,
    ...remaining,
  }
  return { answer, session, device }
}
