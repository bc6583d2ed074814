/**
 * Step-up: a session that proved its second factor again (a code or a passkey) counts as
 * recently verified for 10 minutes. Only a successful `stepUp` opens the window; a wrong code or
 * an assertion that does not verify counts toward the account's lockout like any wrong code.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { and, eq, gt } from 'drizzle-orm'
import type { Auth, Deps, RequestMeta, WebAuthnSite } from '../context'
import { stepUps } from '../db/schema'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { iso } from '../lib/time'
import { recordEvent } from './audit.service'
import { classifyCode, enabledAtOf, getAuthenticators } from './factor.service'
import { authenticationOptions, claimPasskey, type Binding } from './passkey.service'
import { checkSecondFactor, claimFactorCode, type Claim } from './second-factor.service'

export const STEP_UP_MS = 10 * 60_000

/** The window's key: the session; in embedded mode (no Twofold session) the host's user. */
export const stepUpKey = (auth: Pick<Auth, 'sessionId' | 'user'>) =>
  auth.sessionId ? `ses:${auth.sessionId}` : `usr:${auth.user.id}`

const binding = (auth: Auth): Binding => ({
  userId: auth.user.id,
  purpose: 'step_up',
  boundTo: stepUpKey(auth),
})

/** Whether this session is within its step-up window. */
export async function isSteppedUp(deps: Deps, auth: Auth) {
  const [row] = await deps.db
    .select({ until: stepUps.verifiedUntil })
    .from(stepUps)
    .where(and(eq(stepUps.key, stepUpKey(auth)), gt(stepUps.verifiedUntil, deps.now())))
  return row !== undefined
}

/** 403 STEP_UP_REQUIRED outside a step-up window. */
export async function requireSteppedUp(deps: Deps, auth: Auth) {
  if (!(await isSteppedUp(deps, auth))) throw new HttpError(403, 'STEP_UP_REQUIRED')
}

/** Request options for a step-up with one of the user's passkeys. */
export async function stepUpOptions(deps: Deps, site: WebAuthnSite, auth: Auth) {
  return authenticationOptions(deps, site, binding(auth))
}

export type StepUpInput =
  | { code: string; method?: undefined }
  | { method: 'passkey'; credential: AuthenticationResponseJSON }

/** Verifies a code or a passkey assertion and opens the session's window for 10 minutes. */
export async function stepUp(
  deps: Deps,
  meta: RequestMeta,
  site: WebAuthnSite,
  auth: Auth,
  input: StepUpInput,
) {
  const { user } = auth
  if (enabledAtOf(await getAuthenticators(deps, user.id)) === null) {
    throw new HttpError(400, 'NOT_ENABLED')
  }
  let claim: Claim
  if (input.method === 'passkey') {
    const credential = input.credential
    claim = async () =>
      (await claimPasskey(deps, site, binding(auth), credential)) ? { method: 'passkey' } : null
  } else {
    claim = claimFactorCode(deps, meta, user, classifyCode(input.code))
  }
  const result = await checkSecondFactor(deps, meta, user, claim)
  if (result.status === 'locked') throw tooManyAttempts(result.retryAfterSeconds)
  if (result.status === 'failed') {
    if (result.lockedUntil) throw tooManyAttempts((result.lockedUntil - deps.now()) / 1000)
    throw new HttpError(401, 'INVALID_CODE')
  }
  const verifiedUntil = deps.now() + STEP_UP_MS
  await deps.db
    .insert(stepUps)
    .values({ key: stepUpKey(auth), userId: user.id, verifiedUntil })
    .onConflictDoUpdate({ target: stepUps.key, set: { verifiedUntil } })
  await recordEvent(deps, meta, {
    action: 'step_up',
    userId: user.id,
    metadata: { method: result.method },
  })
  return { verifiedUntil: iso(verifiedUntil)! }
}
