/**
 * Passkeys and security keys (WebAuthn, `@simplewebauthn/server`): registration and assertion
 * options and their verification. Every WebAuthn challenge is stored as its SHA-256 only, bound
 * to a purpose and what it is for, lives 5 minutes and is used once (a conditional delete).
 * Public keys never leave this file except into the database.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { and, eq, gt, isNotNull, sql } from 'drizzle-orm'
import type { Deps, WebAuthnSite } from '../context'
import { authenticators, webauthnChallenges } from '../db/schema'
import { fromBase64, newId, sha256Hex, toBase64Url } from '../lib/crypto'
import { HttpError } from '../lib/errors'

export const WEBAUTHN_CHALLENGE_MS = 5 * 60_000

export type WebAuthnPurpose = 'registration' | 'sign_in' | 'step_up'

/** What a WebAuthn challenge is for: the purpose and what it is bound to (user, challenge, session). */
export interface Binding {
  userId: string
  purpose: WebAuthnPurpose
  boundTo: string
}

/** Stores a new challenge for this binding, replacing a pending one. */
async function storeChallenge(deps: Deps, binding: Binding, challenge: string) {
  const { db, now } = deps
  const row = {
    challengeHash: await sha256Hex(challenge),
    expiresAt: now() + WEBAUTHN_CHALLENGE_MS,
    userId: binding.userId,
  }
  await db
    .insert(webauthnChallenges)
    .values({ id: newId('wac'), purpose: binding.purpose, boundTo: binding.boundTo, ...row })
    .onConflictDoUpdate({
      target: [webauthnChallenges.purpose, webauthnChallenges.boundTo],
      set: row,
    })
}

/** Uses the challenge once: true only for the live one of this binding (one conditional delete). */
async function consumeChallenge(deps: Deps, binding: Binding, challenge: string) {
  const w = webauthnChallenges
  const used = await deps.db
    .delete(w)
    .where(
      and(
        eq(w.purpose, binding.purpose),
        eq(w.boundTo, binding.boundTo),
        eq(w.userId, binding.userId),
        eq(w.challengeHash, await sha256Hex(challenge)),
        gt(w.expiresAt, deps.now()),
      ),
    )
    .returning({ id: w.id })
  return used.length === 1
}

/** The challenge a response claims to answer (its clientDataJSON), or null when unreadable. */
export function challengeOf(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null
  try {
    const data = JSON.parse(new TextDecoder().decode(fromBase64(clientDataJSON)))
    return typeof data?.challenge === 'string' ? data.challenge : null
  } catch {
    return null
  }
}

const transportsOf = (value: string | null): AuthenticatorTransport[] | undefined =>
  value ? (JSON.parse(value) as AuthenticatorTransport[]) : undefined

async function passkeysOf(deps: Deps, userId: string) {
  return deps.db
    .select()
    .from(authenticators)
    .where(
      and(
        eq(authenticators.userId, userId),
        eq(authenticators.type, 'passkey'),
        isNotNull(authenticators.confirmedAt),
      ),
    )
}

/** Whether the user holds a confirmed passkey. */
export async function hasPasskey(deps: Deps, userId: string) {
  return (await passkeysOf(deps, userId)).length > 0
}

/** Creation options for a new passkey of this user, excluding the ones they hold. */
export async function registrationOptions(
  deps: Deps,
  site: WebAuthnSite,
  user: { id: string; email: string },
) {
  const existing = await passkeysOf(deps, user.id)
  const options = await generateRegistrationOptions({
    rpName: deps.issuer,
    rpID: site.rpId,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    timeout: WEBAUTHN_CHALLENGE_MS,
    excludeCredentials: existing.map((p) => ({
      id: p.credentialId!,
      transports: transportsOf(p.transports),
    })),
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
  })
  await storeChallenge(
    deps,
    { userId: user.id, purpose: 'registration', boundTo: user.id },
    options.challenge,
  )
  return options
}

/**
 * Verifies a registration response against the user's pending registration challenge (used up
 * whatever the outcome) and returns the new credential. 400 INVALID_CREDENTIAL when it does not
 * verify, 409 PASSKEY_EXISTS for a credential already registered.
 */
export async function verifyRegistration(
  deps: Deps,
  site: WebAuthnSite,
  userId: string,
  response: RegistrationResponseJSON,
) {
  const challenge = challengeOf(response?.response?.clientDataJSON)
  const binding: Binding = { userId, purpose: 'registration', boundTo: userId }
  if (!challenge || !(await consumeChallenge(deps, binding, challenge))) {
    throw new HttpError(400, 'INVALID_CREDENTIAL')
  }
  let verified
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: site.origins,
      expectedRPID: site.rpId,
      requireUserVerification: false,
    })
  } catch {
    throw new HttpError(400, 'INVALID_CREDENTIAL')
  }
  if (!verified.verified) throw new HttpError(400, 'INVALID_CREDENTIAL')
  const { credential, aaguid } = verified.registrationInfo
  const [taken] = await deps.db
    .select({ id: authenticators.id })
    .from(authenticators)
    .where(eq(authenticators.credentialId, credential.id))
  if (taken) throw new HttpError(409, 'PASSKEY_EXISTS')
  return {
    credentialId: credential.id,
    publicKey: toBase64Url(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ? JSON.stringify(credential.transports) : null,
    aaguid,
  }
}

/** Request options allowing only the user's passkeys, its challenge stored for `binding`. */
export async function authenticationOptions(deps: Deps, site: WebAuthnSite, binding: Binding) {
  const passkeys = await passkeysOf(deps, binding.userId)
  const options = await generateAuthenticationOptions({
    rpID: site.rpId,
    timeout: WEBAUTHN_CHALLENGE_MS,
    userVerification: 'preferred',
    allowCredentials: passkeys.map((p) => ({
      id: p.credentialId!,
      transports: transportsOf(p.transports),
    })),
  })
  await storeChallenge(deps, binding, options.challenge)
  return options
}

/** A stored passkey, as far as checking an assertion needs it. */
export interface StoredPasskey {
  credentialId: string | null
  publicKey: string | null
  counter: number
  transports: string | null
}

/**
 * Verifies an assertion by this passkey for `challenge` (origin, RP id, signature, a counter that
 * does not go backwards): its new counter, or null. Claiming the counter is the caller's.
 */
export async function verifyAssertion(
  site: WebAuthnSite,
  passkey: StoredPasskey,
  response: AuthenticationResponseJSON,
  challenge: string,
): Promise<number | null> {
  if (!passkey.credentialId || !passkey.publicKey || response?.id !== passkey.credentialId) {
    return null
  }
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: site.origins,
      expectedRPID: site.rpId,
      requireUserVerification: false,
      credential: {
        id: passkey.credentialId,
        publicKey: fromBase64(passkey.publicKey),
        counter: passkey.counter,
        transports: transportsOf(passkey.transports),
      },
    })
    return verified.verified ? verified.authenticationInfo.newCounter : null
  } catch {
    return null
  }
}

/**
 * Checks an assertion: the challenge of this binding (used up), one of this user's passkeys, the
 * origin and RP id, the signature, and a counter that moved forward (claimed by one conditional
 * update, so a replayed assertion never passes twice). Returns the passkey's id, or null.
 */
export async function claimPasskey(
  deps: Deps,
  site: WebAuthnSite,
  binding: Binding,
  response: AuthenticationResponseJSON,
): Promise<string | null> {
  const challenge = challengeOf(response?.response?.clientDataJSON)
  if (!challenge || !(await consumeChallenge(deps, binding, challenge))) return null
  const passkey = (await passkeysOf(deps, binding.userId)).find(
    (p) => p.credentialId === response.id,
  )
  if (!passkey) return null
  const next = await verifyAssertion(site, passkey, response, challenge)
  if (next === null) return null
  const a = authenticators
  const claimed = await deps.db
    .update(a)
    .set({ counter: next, lastUsedAt: deps.now() })
    .where(
      and(
        eq(a.id, passkey.id),
        // Counters only go forward; authenticators that keep none report 0 every time.
        sql`(${a.counter} < ${next} OR (${a.counter} = 0 AND ${next} = 0))`,
      ),
    )
    .returning({ id: a.id })
  return claimed.length === 1 ? passkey.id : null
}
