/**
 * Embedded mode's first step, after the host checked the password: the policy and trusted
 * devices decide between signed in (the host makes its own session) and a challenge.
 */
import type { AuthUser, Deps, RequestMeta } from '../context'
import { iso } from '../lib/time'
import type { MethodName, UserDto } from '../schemas'
import { recordEvent } from './audit.service'
import { issueChallenge } from './challenge.service'
import { noteSignIn } from './host-users.service'
import { getPolicy, requirementFor } from './policy.service'
import { useTrustedDevice, type DeviceToken } from './trusted-devices.service'
import { twoFactorEnabledAt } from './users.service'

/** The contract's sign-in answer, without Twofold's session (the host has its own). */
export type SignInStep =
  | {
      status: 'authenticated'
      user: UserDto
      twoFactorSetupRequired?: true
      setupDeadline?: string
    }
  | {
      status: 'two_factor_required'
      challenge: { token: string; expiresAt: string; methods: MethodName[] }
    }

export async function beginHostSignIn(
  deps: Deps,
  meta: RequestMeta,
  user: AuthUser,
  deviceToken: string | null,
): Promise<{ answer: SignInStep; device?: DeviceToken }> {
  const policy = await getPolicy(deps)
  const authenticated = async (twoFactorEnabled: boolean, metadata: Record<string, boolean>) => {
    await recordEvent(deps, meta, { action: 'sign_in', userId: user.id, metadata })
    await noteSignIn(deps, user.id)
    const { required, deadline } = requirementFor(policy, user)
    const { id, email, name, role } = user
    const setup =
      required && !twoFactorEnabled
        ? { twoFactorSetupRequired: true as const, setupDeadline: iso(deadline)! }
        : {}
    const dto = { id, email, name, role, twoFactorEnabled }
    return { status: 'authenticated' as const, user: dto, ...setup }
  }
  if ((await twoFactorEnabledAt(deps, user.id)) === null)
    return { answer: await authenticated(false, { secondFactor: false }) }
  const device = await useTrustedDevice(deps, user.id, deviceToken)
  if (device) return { answer: await authenticated(true, { trustedDevice: true }), device }
  const challenge = await issueChallenge(deps, user.id, policy.emailFallback)
  return { answer: { status: 'two_factor_required', challenge } }
}

/** Whether the policy's setup deadline has passed for a user without a second factor. */
export async function setupOverdue(deps: Deps, user: AuthUser): Promise<boolean> {
  const { required, deadline } = requirementFor(await getPolicy(deps), user)
  if (!required || deadline === null || deps.now() <= deadline) return false
  return (await twoFactorEnabledAt(deps, user.id)) === null
}
