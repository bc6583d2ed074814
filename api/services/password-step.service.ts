/**
 * The password step in two batches (two round trips, two commits), PBKDF2 between them:
 *
 * 1. Reserve one try on the account's and the client IP's password counters (conditional
 *    upserts: a burst evaluates at most a limit's worth of passwords) and, in the same
 *    transaction, read the user, their factor's state, the policy and both counters.
 * 2. Write the outcome: a failure keeps the tries, locks a full counter and is audited; a
 *    success hands back its own tries and, in the same batch, issues the challenge, or signs in
 *    (a rotated trusted-device token, or no second factor): audit row, session, last sign-in.
 *    The trusted-device branch is decided inside the batch: the rows that sign in are inserted
 *    only if the device row now carries this request's fresh token hash, the challenge only if
 *    it does not.
 */
import { sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { AuthUser, Deps, RequestMeta } from '../context'
import { batch, bind, compile, name, names, p, type Bound, type Row } from '../db/raw'
import {
  attemptCounters as K,
  auditEvents as A,
  challenges as C,
  authenticators as F,
  sessions as S,
  settings,
  trustedDevices as D,
  users as U,
} from '../db/schema'
import { hashPassword, newId, randomToken, sha256Hex, verifyPassword } from '../lib/crypto'
import { HttpError, tooManyAttempts } from '../lib/errors'
import { ipBucket } from '../lib/ip-bucket'
import { passwordAccountKey, passwordIpKey } from './counters.service'
import { parsePolicy, POLICY_KEY } from './policy.service'

const stale = sql`((${K.lockedUntil} IS NOT NULL AND ${K.lockedUntil} <= ${p('now')})
  OR ${K.windowStart} <= ${p('windowFrom')})`

const RESERVE =
  compile(sql`INSERT INTO ${K} (${names(K.key, K.count, K.windowStart, K.lockedUntil)})
  VALUES (${p('key')}, 1, ${p('now')}, NULL)
  ON CONFLICT (${name(K.key)}) DO UPDATE SET
    ${name(K.count)} = CASE WHEN ${stale} THEN 1 ELSE ${K.count} + 1 END,
    ${name(K.windowStart)} = CASE WHEN ${stale} THEN ${p('now')} ELSE ${K.windowStart} END,
    ${name(K.lockedUntil)} = CASE WHEN ${stale} THEN NULL ELSE ${K.lockedUntil} END
  WHERE ${stale} OR (${K.lockedUntil} IS NULL AND ${K.count} < ${p('limit')})
  RETURNING ${name(K.windowStart)}`)

/** Hands one try back, only within the window it was taken in. */
const RELEASE = compile(sql`UPDATE ${K} SET ${name(K.count)} = max(${K.count} - 1, 0)
  WHERE ${K.key} = ${p('key')} AND ${K.lockedUntil} IS NULL
    AND ${K.windowStart} = ${p('windowStart')}`)

/** A failed try stays counted; a full counter locks. */
const LOCK_IF_FULL = compile(sql`UPDATE ${K} SET ${name(K.lockedUntil)} = ${p('lockUntil')}
  WHERE ${K.key} = ${p('key')} AND ${K.lockedUntil} IS NULL AND ${K.count} >= ${p('limit')}`)

const ka = alias(K, 'ka')
const ki = alias(K, 'ki')
const READ = compile(sql`SELECT ${U.id} AS id, ${U.email} AS email, ${U.name} AS name,
    ${U.role} AS role, ${U.createdAt} AS created_at, ${U.roleSince} AS role_since,
    ${U.passwordHash} AS password_hash,
    (SELECT min(${F.confirmedAt}) FROM ${F} WHERE ${F.userId} = ${U.id}) AS enabled_at,
    (SELECT count(*) FROM ${F} WHERE ${F.userId} = ${U.id} AND ${F.type} = 'totp'
      AND ${F.confirmedAt} IS NOT NULL) AS totp_count,
    (SELECT count(*) FROM ${F} WHERE ${F.userId} = ${U.id} AND ${F.type} = 'passkey'
      AND ${F.confirmedAt} IS NOT NULL) AS passkey_count,
    (SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${POLICY_KEY}) AS policy,
    ${ka.windowStart} AS a_start, ${ka.lockedUntil} AS a_locked,
    ${ki.windowStart} AS i_start, ${ki.lockedUntil} AS i_locked
  FROM (SELECT 1) AS one
  LEFT JOIN ${U} ON ${U.email} = ${p('email')}
  LEFT JOIN ${K} ${ka} ON ${ka.key} = ${p('accountKey')}
  LEFT JOIN ${K} ${ki} ON ${ki.key} = ${p('ipKey')}`)

const AUDIT =
  compile(sql`INSERT INTO ${A} (${names(A.id, A.userId, A.actorId, A.action, A.ip, A.userAgent, A.metadata, A.createdAt)})
  VALUES (${p('id')}, ${p('uid')}, ${p('uid')}, ${p('action')}, ${p('ip')}, ${p('ua')}, ${p('metadata')}, ${p('now')})`)

const INSERT_CHALLENGE =
  compile(sql`INSERT INTO ${C} (${names(C.id, C.userId, C.tokenHash, C.createdAt, C.expiresAt)})
  VALUES (${p('challengeId')}, ${p('uid')}, ${p('challengeHash')}, ${p('now')}, ${p('challengeExpires')})`)

const INSERT_SESSION =
  compile(sql`INSERT INTO ${S} (${names(S.id, S.userId, S.tokenHash, S.createdAt, S.expiresAt, S.ip, S.userAgent)})
  VALUES (${p('sessionId')}, ${p('uid')}, ${p('sessionHash')}, ${p('now')}, ${p('sessionExpires')}, ${p('ip')}, ${p('ua')})`)

const NOTE_SIGN_IN = compile(sql`UPDATE ${U} SET ${name(U.lastSignInAt)} = ${p('now')}
  WHERE ${U.id} = ${p('uid')}`)

// The trusted-device branch: rotate the token; sign in if it rotated, else issue the challenge.
const rotated = sql`EXISTS (SELECT 1 FROM ${D} WHERE ${D.tokenHash} = ${p('freshHash')})`
const ROTATE_DEVICE = compile(sql`UPDATE ${D} SET ${name(D.tokenHash)} = ${p('freshHash')},
    ${name(D.lastUsedAt)} = ${p('now')}
  WHERE ${D.tokenHash} = ${p('deviceHash')} AND ${D.userId} = ${p('uid')}
    AND ${D.expiresAt} > ${p('now')}
  RETURNING ${name(D.expiresAt)}`)
const AUDIT_IF_ROTATED =
  compile(sql`INSERT INTO ${A} (${names(A.id, A.userId, A.actorId, A.action, A.ip, A.userAgent, A.metadata, A.createdAt)})
  SELECT ${p('id')}, ${p('uid')}, ${p('uid')}, ${p('action')}, ${p('ip')}, ${p('ua')}, ${p('metadata')}, ${p('now')}
  WHERE ${rotated}`)
const SESSION_IF_ROTATED =
  compile(sql`INSERT INTO ${S} (${names(S.id, S.userId, S.tokenHash, S.createdAt, S.expiresAt, S.ip, S.userAgent)})
  SELECT ${p('sessionId')}, ${p('uid')}, ${p('sessionHash')}, ${p('now')}, ${p('sessionExpires')}, ${p('ip')}, ${p('ua')}
  WHERE ${rotated}`)
const NOTE_IF_ROTATED = compile(sql`UPDATE ${U} SET ${name(U.lastSignInAt)} = ${p('now')}
  WHERE ${U.id} = ${p('uid')} AND ${rotated}`)
const CHALLENGE_UNLESS_ROTATED =
  compile(sql`INSERT INTO ${C} (${names(C.id, C.userId, C.tokenHash, C.createdAt, C.expiresAt)})
  SELECT ${p('challengeId')}, ${p('uid')}, ${p('challengeHash')}, ${p('now')}, ${p('challengeExpires')}
  WHERE NOT ${rotated}`)

// Unknown emails cost the same PBKDF2 work as known ones, so timing does not tell them apart.
let dummyHash: Promise<string> | undefined

interface ReadRow {
  id: string | null
  email: string
  name: string | null
  role: 'user' | 'admin'
  created_at: number
  role_since: number
  password_hash: string | null
  enabled_at: number | null
  totp_count: number | null
  passkey_count: number | null
  policy: string | null
  a_start: number | null
  a_locked: number | null
  i_start: number | null
  i_locked: number | null
}

/** What the password step decided; the caller shapes the contract's answer. */
export type PasswordOutcome =
  | {
      kind: 'challenge'
      user: AuthUser
      token: string
      expiresAt: number
      emailFallback: boolean
      /** What the user holds: a confirmed app, a passkey. */
      totp: boolean
      passkey: boolean
    }
  | {
      kind: 'signed_in'
      user: AuthUser
      twoFactorEnabled: boolean
      policy: ReturnType<typeof parsePolicy>
      session: { token: string; expiresAt: number }
      device?: { token: string; expiresAt: number }
    }

/**
 * Checks email and password behind two throttles kept in the database (tries per account and
 * per client IP, an IPv6 address counting by its /64), then signs in or issues the challenge.
 */
export async function passwordStep(
  deps: Deps,
  meta: RequestMeta,
  input: { email: string; password: string },
  deviceToken: string | null,
): Promise<PasswordOutcome> {
  const { limits } = deps
  const now = deps.now()
  const windowMs = limits.passwordWindowSeconds * 1000
  const rules = [
    { key: passwordAccountKey(input.email), limit: limits.passwordFailuresPerAccount },
    { key: passwordIpKey(ipBucket(meta.ip)), limit: limits.passwordFailuresPerIp },
  ]
  const common = { now, windowFrom: now - windowMs }
  const [account, ip, [found]] = await batch(deps.db, [
    ...rules.map((rule) => bind(RESERVE, { ...common, ...rule })),
    bind(READ, { email: input.email, accountKey: rules[0]!.key, ipKey: rules[1]!.key }),
  ])
  const row = found as unknown as ReadRow
  const taken = [account, ip].map(
    (rows) => (rows![0] as Row | undefined)?.window_start as number | undefined,
  )
  const release = (i: number) => bind(RELEASE, { key: rules[i]!.key, windowStart: taken[i]! })
  const releases = [0, 1].filter((i) => taken[i] !== undefined).map(release)

  if (taken.includes(undefined)) {
    // Refused by a counter: hand back the try the other one took, and say until when.
    if (releases.length) await batch(deps.db, releases)
    const untils = [
      [row.a_locked, row.a_start],
      [row.i_locked, row.i_start],
    ]
      .filter((_, i) => taken[i] === undefined)
      .map(([locked, start]) => locked ?? (start ?? now) + windowMs)
    throw tooManyAttempts((Math.max(...untils) - now) / 1000)
  }

  // An unknown email, or a user without a password (a host's user of embedded mode), costs the
  // same PBKDF2 and fails like a wrong password.
  const stored = row.id ? row.password_hash : null
  const checked = await verifyPassword(
    input.password,
    stored ?? (await (dummyHash ??= hashPassword('not a password'))),
  )
  const valid = stored !== null && checked
  const base = { now, ip: meta.ip, ua: meta.userAgent }
  if (!row.id || !valid) {
    await batch(deps.db, [
      ...rules.map((rule) => bind(LOCK_IF_FULL, { ...rule, lockUntil: now + windowMs })),
      bind(AUDIT, {
        ...base,
        id: newId('evt'),
        uid: row.id,
        action: 'sign_in_failed',
        metadata: JSON.stringify({ step: 'password' }),
      }),
    ])
    throw new HttpError(401, 'INVALID_CREDENTIALS')
  }

  const user: AuthUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    roleSince: row.role_since,
  }
  const policy = parsePolicy(row.policy)
  const values = { ...base, uid: user.id }
  const newSession = async () => {
    const token = randomToken()
    const session = { token, expiresAt: now + limits.sessionTtlSeconds * 1000 }
    const sessionValues = {
      sessionId: newId('ses'),
      sessionHash: await sha256Hex(token),
      sessionExpires: session.expiresAt,
    }
    return { session, sessionValues }
  }
  const signInEvent = (metadata: object) => ({
    id: newId('evt'),
    action: 'sign_in',
    metadata: JSON.stringify(metadata),
  })

  if (row.enabled_at === null) {
    const { session, sessionValues } = await newSession()
    const all = { ...values, ...sessionValues, ...signInEvent({ secondFactor: false }) }
    await batch(deps.db, [
      ...releases,
      bind(AUDIT, all),
      bind(INSERT_SESSION, all),
      bind(NOTE_SIGN_IN, all),
    ])
    return { kind: 'signed_in', user, twoFactorEnabled: false, policy, session }
  }

  const challengeToken = randomToken()
  const challengeExpires = now + limits.challengeTtlSeconds * 1000
  const challengeValues = {
    challengeId: newId('chl'),
    challengeHash: await sha256Hex(challengeToken),
    challengeExpires,
  }
  const challenge: PasswordOutcome = {
    kind: 'challenge',
    user,
    token: challengeToken,
    expiresAt: challengeExpires,
    emailFallback: policy.emailFallback,
    totp: Number(row.totp_count) > 0,
    passkey: Number(row.passkey_count) > 0,
  }
  if (!deviceToken) {
    await batch(deps.db, [...releases, bind(INSERT_CHALLENGE, { ...values, ...challengeValues })])
    return challenge
  }
  const fresh = randomToken()
  const { session, sessionValues } = await newSession()
  const all = {
    ...values,
    ...challengeValues,
    ...sessionValues,
    ...signInEvent({ trustedDevice: true }),
    freshHash: await sha256Hex(fresh),
    deviceHash: await sha256Hex(deviceToken),
  }
  const statements: Bound[] = [
    ...releases,
    bind(ROTATE_DEVICE, all),
    bind(AUDIT_IF_ROTATED, all),
    bind(SESSION_IF_ROTATED, all),
    bind(NOTE_IF_ROTATED, all),
    bind(CHALLENGE_UNLESS_ROTATED, all),
  ]
  const results = await batch(deps.db, statements)
  const device = results[releases.length]![0] as Row | undefined
  if (!device) return challenge
  return {
    kind: 'signed_in',
    user,
    twoFactorEnabled: true,
    policy,
    session,
    device: { token: fresh, expiresAt: Number(device.expires_at) },
  }
}
