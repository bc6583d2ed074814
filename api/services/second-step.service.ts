/**
 * The second sign-in step as one read and one conditional write batch.
 *
 * The read fetches, by the challenge's token hash, the challenge, its user, the user's confirmed
 * authenticators (apps and passkeys, as JSON), the pending WebAuthn challenge of this sign-in,
 * the second factor's failure counter and the policy. A passkey assertion is verified in memory
 * too; the batch claims its WebAuthn challenge (used once, pass or fail) and its counter. The code is judged in memory (TOTP) or by
 * the batch (backup and emailed codes, whose claims are conditional statements anyway). The batch
 * (one transaction, one commit; libSQL and D1) then writes the outcome. Its first statement
 * decides: it inserts the outcome's audit rows (passed and sign-in, or failed and, at the limit,
 * account locked) only if the challenge is still live and under its attempt limit, the account
 * is not locked by failures committed before it, and (for a pass) the one-time code is still
 * claimable: a TOTP step newer than the last accepted, an unused backup code, an unexpired emailed
 * code. Every later statement runs only if its outcome's audit row exists (primary-key lookups on
 * ids unique to this request): the claims, the challenge, the counter, the session, the device.
 * Commits serialize, so a burst of parallel requests is judged in commit order.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { Deps } from '../context'
import { batch, bind, compile, name, names, p, read, type Compiled, type Row } from '../db/raw'
import {
  attemptCounters as K,
  auditEvents as A,
  backupCodes as B,
  challenges as C,
  authenticators as F,
  webauthnChallenges as W,
  sessions as S,
  settings,
  trustedDevices as D,
  users as U,
} from '../db/schema'
import { TWO_FACTOR_KEY_PREFIX } from './counters.service'
import { POLICY_KEY } from './policy.service'

// ---- the read -----------------------------------------------------------------------------

/** The read, exported for the bench's same-SQL ceiling. */
export const READ_STEP = compile(sql`
  SELECT ${C.id} AS cid, ${C.userId} AS uid, ${C.attempts} AS attempts,
    ${C.expiresAt} AS expires_at, ${C.consumedAt} AS consumed_at,
    ${C.emailCodeHash} AS email_code_hash, ${C.emailCodeExpiresAt} AS email_code_expires_at,
    ${U.email} AS email, ${U.name} AS name, ${U.role} AS role,
    ${U.createdAt} AS created_at, ${U.roleSince} AS role_since,
    (SELECT min(${F.confirmedAt}) FROM ${F} WHERE ${F.userId} = ${C.userId}) AS enabled_at,
    (SELECT json_group_array(json_object('id', ${F.id}, 'type', ${F.type},
        'secret', ${F.secretCiphertext}, 'keyId', ${F.keyId}, 'lastStep', ${F.lastStep},
        'credentialId', ${F.credentialId}, 'publicKey', ${F.publicKey}, 'counter', ${F.counter},
        'transports', ${F.transports}))
      FROM ${F} WHERE ${F.userId} = ${C.userId} AND ${F.confirmedAt} IS NOT NULL) AS authenticators,
    (SELECT ${W.challengeHash} FROM ${W} WHERE ${W.purpose} = 'sign_in' AND ${W.boundTo} = ${C.id}
      AND ${W.expiresAt} > ${p('now')}) AS wac_hash,
    ${K.count} AS k_count, ${K.lockedUntil} AS k_locked,
    (SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${POLICY_KEY}) AS policy
  FROM ${C}
  JOIN ${U} ON ${U.id} = ${C.userId}
  LEFT JOIN ${K} ON ${K.key} = ${TWO_FACTOR_KEY_PREFIX} || ${C.userId}
  WHERE ${C.tokenHash} = ${p('tokenHash')}`)

export interface StepRow {
  cid: string
  uid: string
  attempts: number
  expires_at: number
  consumed_at: number | null
  email_code_hash: string | null
  email_code_expires_at: number | null
  email: string
  name: string | null
  role: 'user' | 'admin'
  created_at: number
  role_since: number
  enabled_at: number | null
  /** JSON array of the confirmed authenticators ({@link StepAuthenticator}). */
  authenticators: string
  /** The live WebAuthn challenge (SHA-256) of this sign-in, if passkey options were asked for. */
  wac_hash: string | null
  k_count: number | null
  k_locked: number | null
  policy: string | null
}

/** The one read of the second step (one statement, one round trip). */
export async function readStep(
  deps: Deps,
  tokenHash: string,
  now: number,
): Promise<StepRow | null> {
  const [row] = await read(deps.db, bind(READ_STEP, { tokenHash, now }))
  return (row as unknown as StepRow | undefined) ?? null
}

// ---- the batch ------------------------------------------------------------------------------

/** How the pass is claimed; null: the code was judged wrong in memory (a failure-only batch). */
export type ClaimKind = 'totp' | 'backup_code' | 'email' | 'passkey' | null

/** One confirmed authenticator as the read returns it. */
export interface StepAuthenticator {
  id: string
  type: 'totp' | 'passkey'
  secret: string | null
  keyId: string | null
  lastStep: number
  credentialId: string | null
  publicKey: string | null
  counter: number
  transports: string | null
}

export interface Variant {
  claim: ClaimKind
  /** Insert Twofold's own session (not in embedded mode, where the host makes its own). */
  session: boolean
  /** Remember the device (a trusted-device row and its audit event). */
  device: boolean
  /** A passkey was tried: this sign-in's WebAuthn challenge is used up, pass or fail. */
  webauthn?: boolean
}

const exists = (query: SQL) => sql`EXISTS (${query})`
const audited = (id: string) => exists(sql`SELECT 1 FROM ${A} WHERE ${A.id} = ${p(id)}`)
const passed = audited('passedId')
const failed = audited('failedId')

/** The challenge is unspent, unexpired and under its attempt limit. */
const live = exists(sql`SELECT 1 FROM ${C} WHERE ${C.id} = ${p('cid')}
  AND ${C.consumedAt} IS NULL AND ${C.expiresAt} > ${p('now')} AND ${C.attempts} < ${p('limit')}`)

/** Failures committed before this statement reached the limit (or locked the account). */
const blocked = exists(sql`SELECT 1 FROM ${K} WHERE ${K.key} = ${p('key')}
  AND (${K.lockedUntil} > ${p('now')}
    OR (${K.lockedUntil} IS NULL AND ${K.count} >= ${p('failLimit')}))`)

/** A lock that has ended: the count starts again. */
const stale = sql`(${K.lockedUntil} IS NOT NULL AND ${K.lockedUntil} <= ${p('now')})`

/** This failure is the one that reaches the limit. */
const reachesLimit = sql`coalesce((SELECT CASE WHEN ${stale} THEN 1 ELSE ${K.count} + 1 END
  FROM ${K} WHERE ${K.key} = ${p('key')}), 1) >= ${p('failLimit')}`

const backupMatch = sql`${B.userId} = ${p('uid')}
  AND ${B.codeHash} IN (SELECT value FROM json_each(${p('backupHashes')})) AND ${B.usedAt} IS NULL`

const claimable: Record<Exclude<ClaimKind, null>, SQL> = {
  totp: exists(sql`SELECT 1 FROM ${F} WHERE ${F.id} = ${p('fid')}
    AND ${F.confirmedAt} IS NOT NULL AND ${F.lastStep} < ${p('step')}`),
  // The WebAuthn challenge is still there (unused, unexpired) and the counter moves forward.
  passkey: sql`(${exists(sql`SELECT 1 FROM ${W} WHERE ${W.purpose} = 'sign_in'
    AND ${W.boundTo} = ${p('cid')} AND ${W.challengeHash} = ${p('wacHash')}
    AND ${W.expiresAt} > ${p('now')}`)} AND ${exists(sql`SELECT 1 FROM ${F}
    WHERE ${F.id} = ${p('fid')} AND ${F.confirmedAt} IS NOT NULL
    AND (${F.counter} < ${p('counter')} OR (${F.counter} = 0 AND ${p('counter')} = 0))`)})`,
  backup_code: exists(sql`SELECT 1 FROM ${B} WHERE ${backupMatch}`),
  email: exists(sql`SELECT 1 FROM ${C} WHERE ${C.id} = ${p('cid')}
    AND ${C.emailCodeHash} = ${p('emailHash')} AND ${C.emailCodeExpiresAt} > ${p('now')}`),
}

const unusedBackupCodes = sql`(SELECT count(*) FROM ${B}
  WHERE ${B.userId} = ${p('uid')} AND ${B.usedAt} IS NULL)`

/** An audit row the deciding statement may insert: `pass` rows for a pass, others for a failure. */
const auditRow = (
  id: string,
  action: string,
  metadata: SQL | ReturnType<typeof p>,
  pass: 0 | 1,
  lock: 0 | 1 = 0,
) =>
  sql`SELECT ${p(id)} AS id, ${sql.raw(`'${action}'`)} AS action, ${metadata} AS metadata,
    ${sql.raw(String(pass))} AS pass, ${sql.raw(String(lock))} AS lock`

/** The deciding statement: the outcome's audit rows, or none when the step may not be judged. */
function decision(v: Variant): SQL {
  const rows: SQL[] = []
  if (v.claim) {
    rows.push(
      auditRow('passedId', 'two_factor_challenge_passed', p('passMeta'), 1),
      auditRow('signInId', 'sign_in', p('passMeta'), 1),
    )
    if (v.claim === 'backup_code') {
      // Counted before the claim, in the same transaction: the claim uses exactly one code.
      const remaining = sql`json_object('remaining', ${unusedBackupCodes} - 1)`
      rows.push(auditRow('backupEventId', 'backup_code_used', remaining, 1))
    }
    if (v.device) rows.push(auditRow('deviceEventId', 'trusted_device_added', p('deviceMeta'), 1))
  }
  const attemptsRemaining = sql`CAST(max(0, ${p('limit')} - 1 -
    (SELECT ${C.attempts} FROM ${C} WHERE ${C.id} = ${p('cid')})) AS INTEGER)`
  rows.push(
    auditRow(
      'failedId',
      'two_factor_challenge_failed',
      sql`json_object('method', ${p('failMethod')}, 'attemptsRemaining', ${attemptsRemaining})`,
      0,
    ),
    auditRow('lockedId', 'account_locked', p('lockedMeta'), 0, 1),
  )
  const pass = v.claim ? claimable[v.claim] : sql`0`
  const columns = names(
    A.id,
    A.userId,
    A.actorId,
    A.action,
    A.ip,
    A.userAgent,
    A.metadata,
    A.createdAt,
  )
  return sql`INSERT INTO ${A} (${columns})
    SELECT v.id, ${p('uid')}, ${p('uid')}, v.action, ${p('ip')}, ${p('ua')}, v.metadata, ${p('now')}
    FROM (${sql.join(rows, sql` UNION ALL `)}) AS v
    WHERE ${live} AND NOT ${blocked} AND v.pass = ${pass} AND (v.lock = 0 OR ${reachesLimit})`
}

/** The challenge: one attempt more; consumed by a pass (and its emailed code with it). */
function challengeUpdate(v: Variant): SQL {
  if (!v.claim) {
    return sql`UPDATE ${C} SET ${name(C.attempts)} = ${C.attempts} + 1
      WHERE ${C.id} = ${p('cid')} AND ${failed}`
  }
  const email =
    v.claim === 'email'
      ? sql`, ${name(C.emailCodeHash)} = CASE WHEN ${passed} THEN NULL ELSE ${C.emailCodeHash} END`
      : sql``
  return sql`UPDATE ${C} SET ${name(C.attempts)} = ${C.attempts} + 1,
      ${name(C.consumedAt)} = CASE WHEN ${passed} THEN ${p('now')} END${email}
    WHERE ${C.id} = ${p('cid')}
      AND EXISTS (SELECT 1 FROM ${A} WHERE ${A.id} IN (${p('passedId')}, ${p('failedId')}))`
}

/** A failure counts; the one that reaches the limit locks the account. */
const countFailure = sql`INSERT INTO ${K} (${names(K.key, K.count, K.windowStart, K.lockedUntil)})
  SELECT ${p('key')}, 1, ${p('now')}, CASE WHEN 1 >= ${p('failLimit')} THEN ${p('lockUntil')} END
  WHERE ${failed}
  ON CONFLICT (${name(K.key)}) DO UPDATE SET
    ${name(K.count)} = CASE WHEN ${stale} THEN 1 ELSE ${K.count} + 1 END,
    ${name(K.windowStart)} = CASE WHEN ${stale} THEN ${p('now')} ELSE ${K.windowStart} END,
    ${name(K.lockedUntil)} = CASE
      WHEN (CASE WHEN ${stale} THEN 1 ELSE ${K.count} + 1 END) >= ${p('failLimit')}
        THEN ${p('lockUntil')}
      WHEN ${stale} THEN NULL ELSE ${K.lockedUntil} END`

const claims: Record<'totp' | 'backup_code' | 'passkey', SQL> = {
  totp: sql`UPDATE ${F} SET ${name(F.lastStep)} = ${p('step')}, ${name(F.lastUsedAt)} = ${p('now')}
    WHERE ${F.id} = ${p('fid')} AND ${F.lastStep} < ${p('step')} AND ${passed}`,
  passkey: sql`UPDATE ${F} SET ${name(F.counter)} = ${p('counter')},
      ${name(F.lastUsedAt)} = ${p('now')}
    WHERE ${F.id} = ${p('fid')} AND ${passed}`,
  backup_code: sql`UPDATE ${B} SET ${name(B.usedAt)} = ${p('now')}
    WHERE ${backupMatch} AND ${passed}`,
}

/** This sign-in's WebAuthn challenge, used once whatever the outcome. */
const consumeWebauthn = sql`DELETE FROM ${W} WHERE ${W.purpose} = 'sign_in'
  AND ${W.boundTo} = ${p('cid')}
  AND EXISTS (SELECT 1 FROM ${A} WHERE ${A.id} IN (${p('passedId')}, ${p('failedId')}))`

/** A pass clears the account's consecutive failures. */
const clearCounter = sql`DELETE FROM ${K} WHERE ${K.key} = ${p('key')} AND ${passed}`

const insertSession = sql`INSERT INTO ${S} (${names(S.id, S.userId, S.tokenHash, S.createdAt, S.expiresAt, S.ip, S.userAgent)})
  SELECT ${p('sessionId')}, ${p('uid')}, ${p('sessionHash')}, ${p('now')}, ${p('sessionExpires')},
    ${p('ip')}, ${p('ua')}
  WHERE ${passed}`

const noteSignIn = sql`UPDATE ${U} SET ${name(U.lastSignInAt)} = ${p('now')}
  WHERE ${U.id} = ${p('uid')} AND ${passed}`

const insertDevice = sql`INSERT INTO ${D} (${names(D.id, D.userId, D.tokenHash, D.label, D.userAgent, D.createdAt, D.lastUsedAt, D.expiresAt)})
  SELECT ${p('deviceId')}, ${p('uid')}, ${p('deviceHash')}, ${p('deviceLabel')}, ${p('ua')},
    ${p('now')}, ${p('now')}, ${p('deviceExpires')}
  WHERE ${passed}`

/** What the batch did, read inside the same transaction (no extra round trip). */
function outcome(v: Variant): SQL {
  const remaining = v.claim === 'backup_code' ? sql`, ${unusedBackupCodes} AS remaining` : sql``
  return sql`SELECT ${v.claim ? passed : sql`0`} AS passed, ${failed} AS failed, ${live} AS live,
    (SELECT ${C.attempts} FROM ${C} WHERE ${C.id} = ${p('cid')}) AS attempts,
    (SELECT ${K.count} FROM ${K} WHERE ${K.key} = ${p('key')}) AS k_count,
    (SELECT ${K.lockedUntil} FROM ${K} WHERE ${K.key} = ${p('key')}) AS k_locked${remaining}`
}

function build(v: Variant): Compiled[] {
  const statements: SQL[] = [decision(v)]
  if (v.claim === 'totp' || v.claim === 'backup_code' || v.claim === 'passkey') {
    statements.push(claims[v.claim])
  }
  if (v.webauthn) statements.push(consumeWebauthn)
  statements.push(challengeUpdate(v))
  if (v.claim) statements.push(clearCounter)
  statements.push(countFailure)
  if (v.claim && v.device) statements.push(insertDevice)
  if (v.claim && v.session) statements.push(insertSession)
  if (v.claim) statements.push(noteSignIn)
  statements.push(outcome(v))
  return statements.map(compile)
}

const variants = new Map<string, Compiled[]>()

/** The compiled statements of one variant, built once per process. */
export function stepStatements(v: Variant): Compiled[] {
  const id = `${v.claim}|${v.session}|${v.device}|${Boolean(v.webauthn)}`
  let statements = variants.get(id)
  if (!statements) variants.set(id, (statements = build(v)))
  return statements
}

export interface StepOutcome {
  passed: boolean
  failed: boolean
  live: boolean
  attempts: number | null
  kCount: number | null
  kLocked: number | null
  remaining?: number
}

/** Runs the variant's statements in one batch; returns what they did. */
export async function runStep(deps: Deps, v: Variant, values: Record<string, unknown>) {
  const statements = stepStatements(v)
  const results = await batch(
    deps.db,
    statements.map((s) => bind(s, values)),
  )
  const row = results.at(-1)![0] as Row
  const num = (x: unknown) => (x === null || x === undefined ? null : Number(x))
  const result: StepOutcome = {
    passed: Number(row.passed) === 1,
    failed: Number(row.failed) === 1,
    live: Number(row.live) === 1,
    attempts: num(row.attempts),
    kCount: num(row.k_count),
    kLocked: num(row.k_locked),
  }
  if (row.remaining !== undefined) result.remaining = Number(row.remaining)
  return result
}
