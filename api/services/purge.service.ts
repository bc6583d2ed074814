/**
 * Deletes what has expired, so the database does not grow with unauthenticated traffic: run
 * hourly (a timer on Node, a Cron Trigger on Workers). Audit events are never purged here.
 */
import { and, isNull, like, lte, or } from 'drizzle-orm'
import { DEFAULT_LIMITS } from '../context'
import type { Db } from '../db/client'
import {
  attemptCounters,
  challenges,
  outbox,
  sessions,
  stepUps,
  trustedDevices,
  webauthnChallenges,
} from '../db/schema'
import { describeError } from '../lib/log'

export interface PurgeOptions {
  /** How long sent mail (the outbox) and idle counters are kept, in days. @default 30 */
  retentionDays?: number
  /** The password-failure window, in seconds (as in LimitOptions). @default 900 */
  passwordWindowSeconds?: number
  /** The sign-up window, in seconds (as in LimitOptions). @default 3600 */
  signUpWindowSeconds?: number
}

export const DEFAULT_RETENTION_DAYS = 30
/** How often the Node server purges; the Worker's Cron Trigger (wrangler.toml) is hourly too. */
export const PURGE_INTERVAL_MS = 3600_000
const EMAIL_SEND_WINDOW_MS = 3600_000

/**
 * Removes expired sessions, challenges (with their email codes), WebAuthn challenges, step-up
 * windows that ended, trusted devices, counters whose
 * window and lock have passed, and outbox mail older than the retention, in one batch.
 *
 * A password counter (`pw:…`, one per email tried, known or not) goes once its window has passed,
 * where it would have started again from zero anyway: failures against unknown emails hold rows
 * for at most one window. Counters without a window (second factor) go after the retention.
 */
export async function purgeExpired(db: Db, now: number, options: PurgeOptions = {}) {
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 24 * 3600_000
  const passwordWindowMs =
    (options.passwordWindowSeconds ?? DEFAULT_LIMITS.passwordWindowSeconds) * 1000
  const signUpWindowMs = (options.signUpWindowSeconds ?? DEFAULT_LIMITS.signUpWindowSeconds) * 1000
  const c = attemptCounters
  const unlocked = or(isNull(c.lockedUntil), lte(c.lockedUntil, now))!
  const idle = or(
    and(like(c.key, 'pw:%'), lte(c.windowStart, now - passwordWindowMs)),
    and(like(c.key, 'email:%'), lte(c.windowStart, now - EMAIL_SEND_WINDOW_MS)),
    and(like(c.key, 'signup:%'), lte(c.windowStart, now - signUpWindowMs)),
    lte(c.windowStart, now - retentionMs),
  )!
  await db.batch([
    db.delete(sessions).where(lte(sessions.expiresAt, now)),
    db.delete(challenges).where(lte(challenges.expiresAt, now)),
    db.delete(trustedDevices).where(lte(trustedDevices.expiresAt, now)),
    db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now)),
    db.delete(stepUps).where(lte(stepUps.verifiedUntil, now)),
    db.delete(c).where(and(unlocked, idle)),
    db.delete(outbox).where(lte(outbox.createdAt, now - retentionMs)),
  ])
}

/** Purges now and then every hour, on a timer that never keeps the process alive. */
export function startPurgeTimer(db: Db, options: PurgeOptions = {}, now: () => number = Date.now) {
  const run = () =>
    purgeExpired(db, now(), options).catch((error) =>
      console.error('[twofold] purge failed:', describeError(error)),
    )
  void run()
  const timer = setInterval(run, PURGE_INTERVAL_MS)
  timer.unref?.()
  return { timer, stop: () => clearInterval(timer) }
}
