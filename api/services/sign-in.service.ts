/**
 * Signing up and the two sign-in steps: the password, then (with a second factor) the challenge.
 * Each returns the contract's answer and the tokens the edge sets as cookies.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import type { Deps, RequestMeta, WebAuthnSite } from '../context'
import { newId, randomToken, sha256Hex, timingSafeEqual } from '../lib/crypto'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { notify } from '../lib/notify'
import { iso } from '../lib/time'
import { matchTotp } from '../lib/totp'
import type { MethodName, SignInAnswer } from '../schemas'
import { recordEvent } from './audit.service'
import { twoFactorKey } from './counters.service'
import { classifyCode, secretAad } from './factor.service'
import { passwordStep } from './password-step.service'
import { reserveSignUp } from './password.service'
import { parsePolicy, requirementFor } from './policy.service'
import {
  readStep,
  runStep,
  type ClaimKind,
  type StepAuthenticator,
  type StepRow,
} from './second-step.service'
import { challengeOf, verifyAssertion } from './passkey.service'
import { createSession, type NewSession } from './sessions.service'
import { deviceLabel, type DeviceToken } from './trusted-devices.service'
import { createUser, toUserDto } from './users.service'

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

/**
 * The first step: the password (password-step.service.ts: two batches around PBKDF2). With a
 * second factor, a live trusted-device token (rotated there) signs in at once; otherwise the
 * answer is a challenge and no session yet.
 */
export async function signIn(
  deps: Deps,
  meta: RequestMeta,
  input: { email: string; password: string },
  deviceToken: string | null,
): Promise<{ answer: SignInAnswer; session?: NewSession; device?: DeviceToken }> {
  const outcome = await passwordStep(deps, meta, input, deviceToken)
  if (outcome.kind === 'challenge') {
    // What this user can use: an app, a passkey, backup codes, and the emailed code.
    const methods: MethodName[] = [
      ...(outcome.totp ? (['totp'] as const) : []),
      ...(outcome.passkey ? (['passkey'] as const) : []),
      'backup_code',
      ...(outcome.emailFallback ? (['email'] as const) : []),
    ]
    const challenge = { token: outcome.token, expiresAt: iso(outcome.expiresAt)!, methods }
    return { answer: { status: 'two_factor_required' as const, challenge } }
  }
  const { user, twoFactorEnabled, policy, session, device } = outcome
  const { required, deadline } = requirementFor(policy, user)
  const dto = { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled }
  const setup =
    required && !twoFactorEnabled
      ? { twoFactorSetupRequired: true as const, setupDeadline: iso(deadline)! }
      : {}
  const answer = { status: 'authenticated' as const, user: dto, session: sessionDto(session) }
  return { answer: { ...answer, ...setup }, session, ...(device ? { device } : {}) }
}

/** A code (TOTP, emailed or backup), or a passkey's assertion (`method: 'passkey'`). */
export type SecondStepInput = {
  challengeToken: string
  rememberDevice?: boolean
} & (
  | { code: string; method?: Exclude<MethodName, 'passkey'>; credential?: undefined }
  | { method: 'passkey'; credential: AuthenticationResponseJSON; code?: undefined }
)

/** The second step's answer; `session` only when Twofold issued its own. */
export interface SecondStepAnswer {
  status: 'authenticated'
  user: {
    id: string
    email: string
    name: string | null
    role: 'user' | 'admin'
    twoFactorEnabled: true
  }
  session?: { token: string; expiresAt: string }
  method: MethodName
  backupCodesRemaining?: number
}

export interface SecondStepOptions {
  /**
   * Insert Twofold's own session (default). Embedded mode passes false: the host's `onSignIn`
   * makes the host's session once the step's claims have succeeded.
   */
  issueSession?: boolean
  /** Where WebAuthn happens (RP id, origins): needed to judge a passkey. */
  site?: WebAuthnSite
}

/** Six digits without a method may be the pending emailed code: it is tried first. */
async function judgeEmail(deps: Deps, row: StepRow, code: string) {
  if (!row.email_code_hash || !(row.email_code_expires_at! > deps.now())) return null
  if (!parsePolicy(row.policy).emailFallback) return null
  const hash = await deps.keys.hmac('email-code', `${row.cid}:${code}`)
  return timingSafeEqual(hash, row.email_code_hash) ? hash : null
}

const authenticatorsOf = (row: StepRow) => JSON.parse(row.authenticators) as StepAuthenticator[]

/**
 * The app a TOTP code matches and its step, if newer than that app's last accepted one: a code
 * from any of the user's confirmed apps passes.
 */
async function judgeTotp(deps: Deps, row: StepRow, code: string) {
  for (const app of authenticatorsOf(row)) {
    if (app.type !== 'totp' || !app.secret || !app.keyId) continue
    const secret = await deps.keys.decrypt(app.secret, app.keyId, secretAad(row.uid))
    const step = await matchTotp(secret, code, deps.now())
    if (step !== null && step > app.lastStep) return { fid: app.id, step }
  }
  return null
}

/**
 * A passkey assertion for this sign-in's WebAuthn challenge by one of the user's passkeys: the
 * passkey and its new counter, or null (a wrong code). The batch claims challenge and counter.
 */
async function judgePasskey(
  row: StepRow,
  site: WebAuthnSite,
  credential: AuthenticationResponseJSON,
) {
  const challenge = challengeOf(credential?.response?.clientDataJSON)
  if (!challenge || !row.wac_hash) return null
  if (!timingSafeEqual(await sha256Hex(challenge), row.wac_hash)) return null
  const passkey = authenticatorsOf(row).find(
    (a) => a.type === 'passkey' && a.credentialId === credential.id,
  )
  if (!passkey) return null
  const counter = await verifyAssertion(site, passkey, credential, challenge)
  if (counter === null) return null
  // Counters only go forward (authenticators that keep none report 0 every time).
  if (!(passkey.counter < counter || (passkey.counter === 0 && counter === 0))) return null
  return { fid: passkey.id, counter, hash: row.wac_hash }
}

/**
 * The second step: one read (challenge, user, factor, failure counter, policy) and one
 * conditional write batch (see second-step.service.ts), so a challenge yields at most one
 * session and at most its attempt limit in evaluations, and the account's failures are judged in
 * commit order: a burst gets at most the lockout limit of chances.
 */
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
  options?: { issueSession?: true; site?: WebAuthnSite },
): Promise<{
  answer: SecondStepAnswer & { session: { token: string; expiresAt: string } }
  session: NewSession
  device?: DeviceToken
}>
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
  options: SecondStepOptions,
): Promise<{ answer: SecondStepAnswer; session?: NewSession; device?: DeviceToken }>
export async function passChallenge(
  deps: Deps,
  meta: RequestMeta,
  input: SecondStepInput,
  options: SecondStepOptions = {},
): Promise<{ answer: SecondStepAnswer; session?: NewSession; device?: DeviceToken }> {
  // A malformed code is bad input (400) and costs no attempt.
  const code =
    input.method === 'passkey'
      ? { kind: 'passkey' as const, value: '' }
      : classifyCode(input.code, input.method)
  const { limits } = deps
  const now = deps.now()
  const row = await readStep(deps, await sha256Hex(input.challengeToken), now)
  const live = row && row.consumed_at === null && row.expires_at > now
  if (!row || !live || row.attempts >= limits.challengeAttempts) {
    throw new HttpError(401, 'INVALID_CHALLENGE')
  }
  const lockMs = limits.twoFactorLockSeconds * 1000
  // Locked (or full) already: nothing is judged and nothing written.
  const locked = blockedUntil(row.k_count, row.k_locked, now, limits.twoFactorFailures, lockMs)
  if (locked !== null) throw tooManyAttempts((locked - now) / 1000)

  const values: Record<string, unknown> = {
    cid: row.cid,
    uid: row.uid,
    key: twoFactorKey(row.uid),
    now,
    limit: limits.challengeAttempts,
    failLimit: limits.twoFactorFailures,
    lockUntil: now + lockMs,
    ip: meta.ip,
    ua: meta.userAgent,
    passedId: newId('evt'),
    failedId: newId('evt'),
    lockedId: newId('evt'),
    failMethod: code.kind,
    lockedMeta: JSON.stringify({
      until: new Date(now + lockMs).toISOString(),
      failures: limits.twoFactorFailures,
    }),
  }
  // Judge the code: the claim it would make, or null (wrong: a failure-only batch).
  let claim: ClaimKind = null
  if (input.method === 'passkey') {
    const judged = options.site ? await judgePasskey(row, options.site, input.credential) : null
    if (judged) {
      claim = 'passkey'
      values.fid = judged.fid
      values.counter = judged.counter
      values.wacHash = judged.hash
    }
  } else if (code.kind === 'backup_code') {
    claim = 'backup_code'
    // Under every key of the ring, so codes issued before a key rotation keep working.
    const hashes = await deps.keys.hmacAll('backup-code', `${row.uid}:${code.value}`)
    values.backupHashes = JSON.stringify(hashes)
    values.backupEventId = newId('evt')
  } else {
    const emailFirst = code.kind === 'email' || !input.method
    const emailHash = emailFirst ? await judgeEmail(deps, row, code.value) : null
    if (emailHash) {
      claim = 'email'
      values.emailHash = emailHash
    } else if (code.kind === 'totp') {
      const judged = await judgeTotp(deps, row, code.value)
      if (judged !== null) {
        claim = 'totp'
        values.step = judged.step
        values.fid = judged.fid
      }
    }
  }
  const issueSession = options.issueSession !== false
  const variant = {
    claim,
    session: issueSession,
    device: Boolean(input.rememberDevice),
    webauthn: input.method === 'passkey',
  }
  let session: NewSession | undefined
  let device: DeviceToken | undefined
  if (claim) {
    values.passMeta = JSON.stringify({ method: claim })
    values.signInId = newId('evt')
    if (issueSession) {
      const token = randomToken()
      session = { token, expiresAt: now + limits.sessionTtlSeconds * 1000 }
      values.sessionId = newId('ses')
      values.sessionHash = await sha256Hex(token)
      values.sessionExpires = session.expiresAt
    }
    if (variant.device) {
      const token = randomToken()
      device = { token, expiresAt: now + limits.trustedDeviceTtlSeconds * 1000 }
      const label = deviceLabel(meta.userAgent)
      values.deviceId = newId('dev')
      values.deviceHash = await sha256Hex(token)
      values.deviceLabel = label
      values.deviceExpires = device.expiresAt
      values.deviceEventId = newId('evt')
      values.deviceMeta = JSON.stringify({ label })
    }
  }

  const result = await runStep(deps, variant, values)

  if (result.passed) {
    const method = claim!
    const remaining = result.remaining
    if (method === 'backup_code') {
      notify(deps, row.email, { kind: 'backup_code_used', remaining: remaining! })
    }
    // Passing the step proved the factor: no need to read it again.
    const user = { id: row.uid, email: row.email, name: row.name, role: row.role }
    const answer: SecondStepAnswer = {
      status: 'authenticated',
      user: { ...user, twoFactorEnabled: true },
      ...(session ? { session: sessionDto(session) } : {}),
      method,
      ...(method === 'backup_code' ? { backupCodesRemaining: remaining! } : {}),
    }
    return { answer, session, device }
  }
  if (result.failed) {
    const lockedUntil = result.kLocked === now + lockMs ? result.kLocked : null
    if (lockedUntil) {
      notify(deps, row.email, { kind: 'account_locked', until: lockedUntil })
      throw tooManyAttempts(lockMs / 1000)
    }
    const attemptsRemaining = Math.max(0, limits.challengeAttempts - (result.attempts ?? 0))
    throw new HttpError(401, 'INVALID_CODE', { attemptsRemaining })
  }
  // Neither: parallel requests spent the challenge or locked the account first.
  if (!result.live) throw new HttpError(401, 'INVALID_CHALLENGE')
  const until = blockedUntil(result.kCount, result.kLocked, now, limits.twoFactorFailures, lockMs)
  throw tooManyAttempts(((until ?? now + lockMs) - now) / 1000)
}

/** When a counter that refuses tries frees up (its lock's end; when full, one lock's length). */
function blockedUntil(
  count: number | null,
  lockedUntil: number | null,
  now: number,
  limit: number,
  lockMs: number,
): number | null {
  if (lockedUntil !== null) return lockedUntil > now ? lockedUntil : null
  return count !== null && count >= limit ? now + lockMs : null
}
