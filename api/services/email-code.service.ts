/**
 * Email one-time codes, the fallback second factor: six digits from a CSPRNG, bound to one
 * challenge, stored only as a keyed hash, valid ten minutes, consumed by one statement.
 */
import { sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Deps, RequestMeta } from '../context'
import { batch, bind, compile, name, names, p, read } from '../db/raw'
import {
  attemptCounters as K,
  auditEvents as A,
  challenges as C,
  settings,
  users as U,
} from '../db/schema'
import { newId, randomBytes, sha256Hex } from '../lib/crypto'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { notify } from '../lib/notify'
import { TWO_FACTOR_KEY_PREFIX, twoFactorKey } from './counters.service'
import { parsePolicy, POLICY_KEY } from './policy.service'

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

const emailKey = (userId: string) => `${EMAIL_KEY_PREFIX}${userId}`
const EMAIL_KEY_PREFIX = 'email:'
const k2fa = alias(K, 'k2fa')
const kmail = alias(K, 'kmail')

/** Sending a code reads the challenge, its user, both counters and the policy at once. */
const SEND_READ = compile(sql`
  SELECT ${C.id} AS cid, ${C.userId} AS uid, ${C.attempts} AS attempts,
    ${C.expiresAt} AS expires_at, ${C.consumedAt} AS consumed_at, ${C.emailCodeSentAt} AS sent_at,
    ${U.email} AS email, ${k2fa.lockedUntil} AS k_locked,
    ${kmail.count} AS e_count, ${kmail.windowStart} AS e_start, ${kmail.lockedUntil} AS e_locked,
    (SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${POLICY_KEY}) AS policy
  FROM ${C}
  JOIN ${U} ON ${U.id} = ${C.userId}
  LEFT JOIN ${K} ${k2fa} ON ${k2fa.key} = ${TWO_FACTOR_KEY_PREFIX} || ${C.userId}
  LEFT JOIN ${K} ${kmail} ON ${kmail.key} = ${EMAIL_KEY_PREFIX} || ${C.userId}
  WHERE ${C.tokenHash} = ${p('tokenHash')}`)

interface SendRow {
  cid: string
  uid: string
  attempts: number
  expires_at: number
  consumed_at: number | null
  sent_at: number | null
  email: string
  k_locked: number | null
  e_count: number | null
  e_start: number | null
  e_locked: number | null
  policy: string | null
}

const sent = sql`EXISTS (SELECT 1 FROM ${A} WHERE ${A.id} = ${p('eventId')})`
const liveSend = sql`EXISTS (SELECT 1 FROM ${C} WHERE ${C.id} = ${p('cid')}
  AND ${C.consumedAt} IS NULL AND ${C.expiresAt} > ${p('now')} AND ${C.attempts} < ${p('limit')})`
/** A window that has passed (or a lock that ended) starts the hourly count again. */
const hourlyStale = sql`((${K.lockedUntil} IS NOT NULL AND ${K.lockedUntil} <= ${p('now')})
  OR ${K.windowStart} <= ${p('windowFrom')})`

/**
 * One batch: the audit row decides (the challenge live, past its resend wait, the second factor
 * not locked, the hourly cap not reached, all as of this commit); the code and the hourly count
 * are written only if it was inserted; the last statement reads back what happened.
 */
const SEND_BATCH = [
  sql`INSERT INTO ${A} (${names(A.id, A.userId, A.actorId, A.action, A.ip, A.userAgent, A.metadata, A.createdAt)})
    SELECT ${p('eventId')}, ${p('uid')}, ${p('uid')}, 'email_code_sent', ${p('ip')}, ${p('ua')},
      ${p('meta')}, ${p('now')}
    WHERE ${liveSend}
      AND EXISTS (SELECT 1 FROM ${C} WHERE ${C.id} = ${p('cid')}
        AND (${C.emailCodeSentAt} IS NULL OR ${C.emailCodeSentAt} <= ${p('resendFrom')}))
      AND NOT EXISTS (SELECT 1 FROM ${K}
        WHERE ${K.key} = ${p('key')} AND ${K.lockedUntil} > ${p('now')})
      AND NOT EXISTS (SELECT 1 FROM ${K} WHERE ${K.key} = ${p('emailKey')} AND NOT ${hourlyStale}
        AND (${K.lockedUntil} IS NOT NULL OR ${K.count} >= ${p('sendLimit')}))`,
  sql`UPDATE ${C} SET ${name(C.emailCodeHash)} = ${p('codeHash')},
      ${name(C.emailCodeExpiresAt)} = ${p('codeExpires')}, ${name(C.emailCodeSentAt)} = ${p('now')}
    WHERE ${C.id} = ${p('cid')} AND ${sent}`,
  sql`INSERT INTO ${K} (${names(K.key, K.count, K.windowStart, K.lockedUntil)})
    SELECT ${p('emailKey')}, 1, ${p('now')}, NULL WHERE ${sent}
    ON CONFLICT (${name(K.key)}) DO UPDATE SET
      ${name(K.count)} = CASE WHEN ${hourlyStale} THEN 1 ELSE ${K.count} + 1 END,
      ${name(K.windowStart)} = CASE WHEN ${hourlyStale} THEN ${p('now')} ELSE ${K.windowStart} END,
      ${name(K.lockedUntil)} = CASE WHEN ${hourlyStale} THEN NULL ELSE ${K.lockedUntil} END`,
  sql`SELECT ${sent} AS sent, ${liveSend} AS live,
    (SELECT ${C.emailCodeSentAt} FROM ${C} WHERE ${C.id} = ${p('cid')}) AS sent_at,
    (SELECT ${K.lockedUntil} FROM ${K} WHERE ${K.key} = ${p('key')}) AS k_locked,
    (SELECT ${K.count} FROM ${K} WHERE ${K.key} = ${p('emailKey')}) AS e_count,
    (SELECT ${K.windowStart} FROM ${K} WHERE ${K.key} = ${p('emailKey')}) AS e_start,
    (SELECT ${K.lockedUntil} FROM ${K} WHERE ${K.key} = ${p('emailKey')}) AS e_locked`,
].map(compile)

/** Why a send is refused, checked in the order the contract answers them; null: allowed. */
function refusal(row: Omit<SendRow, 'cid' | 'uid' | 'email' | 'policy'>, deps: Deps, now: number) {
  const live =
    row.consumed_at === null && row.expires_at > now && row.attempts < deps.limits.challengeAttempts
  if (!live) return new HttpError(401, 'INVALID_CHALLENGE')
  // No code is sent while the second factor is locked: it could not be used anyway.
  if (row.k_locked !== null && row.k_locked > now) {
    return tooManyAttempts((row.k_locked - now) / 1000)
  }
  const windowMs = 3600_000
  const stale =
    row.e_start === null ||
    (row.e_locked !== null && row.e_locked <= now) ||
    row.e_start <= now - windowMs
  if (!stale && (row.e_locked !== null || row.e_count! >= SENDS_PER_HOUR)) {
    return tooManyAttempts(((row.e_locked ?? row.e_start! + windowMs) - now) / 1000)
  }
  // The resend wait.
  const resendFrom = now - EMAIL_RESEND_SECONDS * 1000
  if (row.sent_at !== null && row.sent_at > resendFrom) {
    return tooManyAttempts((row.sent_at - resendFrom) / 1000)
  }
  return null
}

/** One read, then (unless refused by it) one conditional batch: 1 commit per code sent. */
export async function sendEmailCode(deps: Deps, meta: RequestMeta, challengeToken: string) {
  const now = deps.now()
  const tokenHash = await sha256Hex(challengeToken)
  const [found] = await read(deps.db, bind(SEND_READ, { tokenHash }))
  const row = found as unknown as SendRow | undefined
  if (!row) throw new HttpError(401, 'INVALID_CHALLENGE')
  const live =
    row.consumed_at === null && row.expires_at > now && row.attempts < deps.limits.challengeAttempts
  if (!live) throw new HttpError(401, 'INVALID_CHALLENGE')
  if (!parsePolicy(row.policy).emailFallback) throw new HttpError(403, 'EMAIL_FALLBACK_DISABLED')
  const refused = refusal(row, deps, now)
  if (refused) throw refused

  const code = randomSixDigits()
  const sentTo = maskEmail(row.email)
  const values = {
    eventId: newId('evt'),
    cid: row.cid,
    uid: row.uid,
    key: twoFactorKey(row.uid),
    emailKey: emailKey(row.uid),
    now,
    limit: deps.limits.challengeAttempts,
    resendFrom: now - EMAIL_RESEND_SECONDS * 1000,
    windowFrom: now - 3600_000,
    sendLimit: SENDS_PER_HOUR,
    codeHash: await codeHash(deps, row.cid, code),
    codeExpires: now + EMAIL_CODE_TTL_MS,
    ip: meta.ip,
    ua: meta.userAgent,
    meta: JSON.stringify({ sentTo }),
  }
  const results = await batch(
    deps.db,
    SEND_BATCH.map((s) => bind(s, values)),
  )
  const after = results.at(-1)![0] as Record<string, unknown>
  if (Number(after.sent) !== 1) {
    // Parallel requests got there first: answer as the read would have now.
    const n = (x: unknown) => (x === null || x === undefined ? null : Number(x))
    const state = {
      attempts: 0,
      expires_at: Number(after.live) === 1 ? now + 1 : now,
      consumed_at: null,
      sent_at: n(after.sent_at),
      k_locked: n(after.k_locked),
      e_count: n(after.e_count),
      e_start: n(after.e_start),
      e_locked: n(after.e_locked),
    }
    throw refusal(state, deps, now) ?? tooManyAttempts(EMAIL_RESEND_SECONDS)
  }
  notify(deps, row.email, { kind: 'email_code', code, minutes: EMAIL_CODE_TTL_MS / 60_000 })
  return { sentTo, resendAfter: EMAIL_RESEND_SECONDS }
}
