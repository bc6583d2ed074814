import type { Context } from 'hono'
import type { Db } from './db/client'
import type { KeyRing } from './lib/crypto'
import type { Mailer } from './lib/mailer'

/** Attempt limits. Every counter lives in the database, so all isolates and processes share it. */
export interface LimitOptions {
  /** Wrong codes one sign-in challenge allows. @default 5 */
  challengeAttempts: number
  /** How long a challenge lives, in seconds. @default 300 */
  challengeTtlSeconds: number
  /** Consecutive failed second-factor attempts before the second factor locks. @default 10 */
  twoFactorFailures: number
  /** How long that lock holds, in seconds. @default 900 */
  twoFactorLockSeconds: number
  /** Failed password attempts per account before sign-in is throttled. @default 10 */
  passwordFailuresPerAccount: number
  /** Failed password attempts per client IP in one window. @default 300 */
  passwordFailuresPerIp: number
  /** The password-failure window and lock, in seconds. @default 900 */
  passwordWindowSeconds: number
  /**
   * Sign-ups per client IP (an IPv6 address counts by its /64) in one window; each costs a
   * password hash, so the try is reserved before hashing. @default 50
   */
  signUpsPerIp: number
  /** The sign-up window, in seconds. @default 3600 */
  signUpWindowSeconds: number
  /** How long a session lasts, in seconds. @default 604800 (7 days) */
  sessionTtlSeconds: number
  /** How long a trusted device is remembered, in seconds. @default 2592000 (30 days) */
  trustedDeviceTtlSeconds: number
}

export const DEFAULT_LIMITS: LimitOptions = {
  challengeAttempts: 5,
  challengeTtlSeconds: 300,
  twoFactorFailures: 10,
  twoFactorLockSeconds: 900,
  passwordFailuresPerAccount: 10,
  passwordFailuresPerIp: 300,
  passwordWindowSeconds: 900,
  signUpsPerIp: 50,
  signUpWindowSeconds: 3600,
  sessionTtlSeconds: 7 * 24 * 3600,
  trustedDeviceTtlSeconds: 30 * 24 * 3600,
}

export interface Deps {
  db: Db
  keys: KeyRing
  issuer: string
  /** Current time in milliseconds; injectable for tests. */
  now: () => number
  limits: LimitOptions
  mailer: Mailer
  trustedOrigins: string[]
  trustProxy: boolean
  /** The origin users see (`https://auth.example.com`), when configured; null: the request's. */
  publicOrigin: string | null
  /** The WebAuthn relying-party id (TWOFOLD_RP_ID); null: the host name of the public origin. */
  rpId: string | null
  /** Where the app runs: on Workers the client IP is `CF-Connecting-IP`, on Node the socket's. */
  runtime: 'node' | 'workers'
  /** Runs work the answer must not wait for (mail); kept alive by the request's `waitUntil`. */
  runInBackground: (task: () => Promise<unknown>) => void
}

/** What services need to know about the request, read once at the edge (lib/request-meta). */
export interface RequestMeta {
  /** The client's address (see `clientIp`), null when unknown. */
  ip: string | null
  /** The User-Agent header, at most 512 characters. */
  userAgent: string | null
}

/** Where WebAuthn ceremonies happen: the relying-party id and the origins a response may carry. */
export interface WebAuthnSite {
  rpId: string
  /** The public origin (or the server's own, as the browser sees it) and the trusted origins. */
  origins: string[]
}

export interface AuthUser {
  id: string
  email: string
  name: string | null
  role: 'user' | 'admin'
  createdAt: number
  roleSince: number
}

export interface Auth {
  user: AuthUser
  sessionId: string
  token: string
  expiresAt: number
  via: 'bearer' | 'cookie'
}

export type AppEnv = {
  Bindings: Record<string, unknown>
  Variables: { deps: Deps; auth: Auth | null }
}

export type Ctx = Context<AppEnv>
