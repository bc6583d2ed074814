/**
 * Email one-time codes, the fallback second factor: six digits from a CSPRNG, bound to one
 * challenge, stored only as a keyed hash, valid ten minutes, consumed by one statement.
 */
import { and, eq, gt, isNull, lte, or } from 'drizzle-orm'
import type { Deps, RequestMeta } from '../context'
import { challenges } from '../db/schema'
import { randomBytes } from '../lib/crypto'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { notify } from '../lib/notify'
import { recordEvent } from './audit.service'
import { activeLock, releaseAttempt, reserveAttempt, twoFactorKey } from './counters.service'
import { getPolicy } from './policy.service'
import { findLiveChallenge } from './challenge.service'
import { findUserById } from './users.service'

export const EMAIL_CODE_TTL_MS = 10 * 60 * 1000
export const EMAIL_RESEND_SECONDS = 60
const SENDS_PER_HOUR = 5

/** Six uniformly random digits (rejection sampling, no modulo bias). */
export function randomSixDigits(): string {
  for (;;) {
    const [value] = new Uint32Array(randomBytes(4).buffer)
    if (value! < 4_294_000_000) return String(value! % 1_000_000).padStart(6, '0')
  }
}

/** `a***@example.com`: enough to recognize, not enough to harvest. */
export const maskEmail = (email: string) => {
  const [local, domain] = email.split('@')
  return `${local!.slice(0, 1)}***@${domain}`
}

const codeHash = (deps: Deps, challengeId: string, code: string) =>
  deps.keys.hmac('email-code', `${challengeId}:${code}`)

export async function sendEmailCode(deps: Deps, meta: RequestMeta, challengeToken: string) {
  const { db, now } = deps
  const challenge = await findLiveChallenge(deps, challengeToken)
  if (!(await getPolicy(deps)).emailFallback) throw new HttpError(403, 'EMAIL_FALLBACK_DISABLED')
  const user = await findUserById(deps, challenge.userId)
  if (!user) throw new HttpError(401, 'INVALID_CHALLENGE')
  // No code is sent while the second factor is locked: it could not be used anyway.
  const lockedUntil = await activeLock(db, twoFactorKey(user.id), now())
  if (lockedUntil) throw tooManyAttempts((lockedUntil - now()) / 1000)

  const hourly = { key: `email:${user.id}`, limit: SENDS_PER_HOUR, windowMs: 3600_000, lockMs: 0 }
  const reserved = await reserveAttempt(db, hourly, now())
  if (!reserved.ok) throw tooManyAttempts(reserved.retryAfterSeconds)
  const code = randomSixDigits()
  const sentAt = now()
  const resendFrom = sentAt - EMAIL_RESEND_SECONDS * 1000
  // The resend wait is part of the same conditional statement that stores the new code.
  const stored = await db
    .update(challenges)
    .set({
      emailCodeHash: await codeHash(deps, challenge.id, code),
      emailCodeExpiresAt: sentAt + EMAIL_CODE_TTL_MS,
      emailCodeSentAt: sentAt,
    })
    .where(
      and(
        eq(challenges.id, challenge.id),
        isNull(challenges.consumedAt),
        or(isNull(challenges.emailCodeSentAt), lte(challenges.emailCodeSentAt, resendFrom)),
      ),
    )
    .returning({ id: challenges.id })
  if (stored.length === 0) {
    await releaseAttempt(db, hourly.key)
    const [row] = await db
      .select({ sentAt: challenges.emailCodeSentAt })
      .from(challenges)
      .where(eq(challenges.id, challenge.id))
    throw tooManyAttempts(((row?.sentAt ?? sentAt) - resendFrom) / 1000)
  }
  notify(deps, user.email, { kind: 'email_code', code, minutes: EMAIL_CODE_TTL_MS / 60_000 })
  const sentTo = maskEmail(user.email)
  await recordEvent(deps, meta, {
    action: 'email_code_sent',
    userId: user.id,
    metadata: { sentTo },
  })
  return { sentTo, resendAfter: EMAIL_RESEND_SECONDS }
}

/**
 * Uses the challenge's emailed code once, if it matches and has not expired. Codes sent before an
 * administrator turned the email fallback off stop working with it.
 */
export async function consumeEmailCode(
  deps: Deps,
  challengeId: string,
  code: string,
): Promise<boolean> {
  const { db, now } = deps
  if (!(await getPolicy(deps)).emailFallback) return false
  const used = await db
    .update(challenges)
    .set({ emailCodeHash: null })
    .where(
      and(
        eq(challenges.id, challengeId),
        eq(challenges.emailCodeHash, await codeHash(deps, challengeId, code)),
        gt(challenges.emailCodeExpiresAt, now()),
      ),
    )
    .returning({ id: challenges.id })
  return used.length === 1
}
