/**
 * The authenticator apps (TOTP) and backup codes of one user: enrollment, verification with replay
 * protection, single-use backup codes. Every one-time claim is one conditional statement.
 */
import { and, count, eq, inArray, isNotNull, isNull, lt, max, sql } from 'drizzle-orm'
import type { Deps } from '../context'
import { authenticators, backupCodes, trustedDevices } from '../db/schema'
import { prepared } from '../db/prepared'
import { batch, bind, compile, names, p } from '../db/raw'
import { generateBackupCodes, isBackupCodeShaped, normalizeBackupCode } from '../lib/backup-codes'
import { newId } from '../lib/crypto'
import { HttpError } from '../lib/errors'
import { groupKey, isTotpShaped, keyUri, matchTotp, newTotpSecret, qrCodeSvg } from '../lib/totp'
import type { MethodName } from '../schemas'

/** Tells a TOTP code from a backup code by shape; anything else is bad input (400). */
export function classifyCode(
  raw: string,
  method?: MethodName,
): { kind: MethodName; value: string } {
  const compact = raw.replace(/\s+/g, '')
  if (method === 'email') {
    if (isTotpShaped(compact)) return { kind: 'email', value: compact }
    throw new HttpError(400, 'VALIDATION_FAILED', {
      issues: [{ path: ['code'], message: 'Enter the 6-digit code from the email.' }],
    })
  }
  if (method !== 'backup_code' && isTotpShaped(compact)) return { kind: 'totp', value: compact }
  const normalized = normalizeBackupCode(raw)
  if (method !== 'totp' && isBackupCodeShaped(normalized)) {
    return { kind: 'backup_code', value: normalized }
  }
  throw new HttpError(400, 'VALIDATION_FAILED', {
    issues: [
      {
        path: ['code'],
        message:
          method === 'totp'
            ? 'Enter the 6-digit code from your authenticator app.'
            : 'Enter a 6-digit code or a backup code like XXXXX-XXXXX.',
      },
    ],
  })
}

const authenticatorsOf = prepared((db) =>
  db
    .select()
    .from(authenticators)
    .where(eq(authenticators.userId, sql.placeholder('userId')))
    .prepare(),
)

export type AuthenticatorRow = typeof authenticators.$inferSelect

/** Every authenticator of the user, pending ones included. */
export async function getAuthenticators(deps: Deps, userId: string) {
  return authenticatorsOf(deps.db).all({ userId })
}

/** When 2FA was enabled: the earliest confirmation among the user's authenticators, or null. */
export function enabledAtOf(rows: readonly Pick<AuthenticatorRow, 'confirmedAt'>[]) {
  const times = rows.map((r) => r.confirmedAt).filter((t): t is number => t !== null)
  return times.length > 0 ? Math.min(...times) : null
}

/** The associated data a TOTP secret is encrypted with. */
export const secretAad = (userId: string) => `totp:${userId}`

/** The name of the app confirmed through `/setup`. */
export const DEFAULT_APP_NAME = 'Authenticator app'

/** A new pending TOTP secret, sealed; the plain secret and its enrollment material returned. */
export async function newPendingApp(deps: Deps, user: { id: string; email: string }) {
  const secret = newTotpSecret()
  const { keyId, ciphertext } = await deps.keys.encrypt(secret, secretAad(user.id))
  const otpauthUri = keyUri(secret, deps.issuer, user.email)
  const enrollment = {
    secret,
    manualEntryKey: groupKey(secret),
    otpauthUri,
    qrCodeSvg: await qrCodeSvg(otpauthUri),
  }
  return { keyId, ciphertext, enrollment }
}

const F = authenticators
const noneConfirmed = sql`NOT EXISTS (SELECT 1 FROM ${F} WHERE ${F.userId} = ${p('uid')}
  AND ${F.confirmedAt} IS NOT NULL)`
/** The user's pending apps go, a new one comes: both only while 2FA is off. */
const REPLACE_PENDING_APP = [
  compile(sql`DELETE FROM ${F} WHERE ${F.userId} = ${p('uid')} AND ${F.type} = 'totp'
    AND ${F.confirmedAt} IS NULL AND ${noneConfirmed}`),
  compile(sql`INSERT INTO ${F} (${names(F.id, F.userId, F.type, F.name, F.createdAt, F.secretCiphertext, F.keyId)})
    SELECT ${p('id')}, ${p('uid')}, 'totp', ${p('name')}, ${p('now')}, ${p('secret')}, ${p('keyId')}
    WHERE ${noneConfirmed}`),
] as const

/** A new pending secret for the first app, replacing any earlier pending one. */
export async function startSetup(deps: Deps, user: { id: string; email: string }) {
  const { db, now } = deps
  if (enabledAtOf(await getAuthenticators(deps, user.id)) !== null) {
    throw new HttpError(409, 'ALREADY_ENABLED')
  }
  const { keyId, ciphertext, enrollment } = await newPendingApp(deps, user)
  const id = newId('aut')
  // Both only while nothing is confirmed: a parallel verify may have enabled 2FA since the check.
  await batch(db, [
    bind(REPLACE_PENDING_APP[0], { uid: user.id }),
    bind(REPLACE_PENDING_APP[1], {
      id,
      uid: user.id,
      name: DEFAULT_APP_NAME,
      now: now(),
      secret: ciphertext,
      keyId,
    }),
  ])
  if (!(await getAuthenticators(deps, user.id)).some((row) => row.id === id)) {
    throw new HttpError(409, 'ALREADY_ENABLED')
  }
  return enrollment
}

/**
 * Checks a TOTP code against the user's apps and claims its time step on the app it matched:
 * the claim succeeds only if no later or equal step of that app was accepted before, so a code
 * can never be used twice, even by parallel requests. Without `enable`, any confirmed app
 * passes; with it, only a pending one (`onlyId`: that one), which the same statement confirms.
 * Returns the id of the app that passed, or null.
 */
export async function claimTotp(
  deps: Deps,
  userId: string,
  code: string,
  enable = false,
  onlyId?: string,
  rows?: readonly AuthenticatorRow[],
): Promise<string | null> {
  const { db, keys, now } = deps
  const candidates = (rows ?? (await getAuthenticators(deps, userId))).filter(
    (a) =>
      a.type === 'totp' &&
      a.secretCiphertext !== null &&
      a.keyId !== null &&
      (a.confirmedAt === null) === enable &&
      (onlyId === undefined || a.id === onlyId),
  )
  for (const app of candidates) {
    const secret = await keys.decrypt(app.secretCiphertext!, app.keyId!, secretAad(userId))
    const step = await matchTotp(secret, code, now())
    if (step === null || step <= app.lastStep) continue
    const at = now()
    const claimed = await db
      .update(authenticators)
      .set(enable ? { lastStep: step, confirmedAt: at } : { lastStep: step, lastUsedAt: at })
      .where(
        and(
          eq(authenticators.id, app.id),
          lt(authenticators.lastStep, step),
          // Confirming: only the secret this code was checked against (a parallel setup may
          // have replaced the pending one since; its ciphertext, with a fresh IV, differs).
          enable
            ? and(
                isNull(authenticators.confirmedAt),
                eq(authenticators.secretCiphertext, app.secretCiphertext!),
              )
            : isNotNull(authenticators.confirmedAt),
        ),
      )
      .returning({ id: authenticators.id })
    if (claimed.length === 1) return app.id
  }
  return null
}

/** Uses a backup code once; returns how many are left, or null if it was not a live code. */
export async function consumeBackupCode(deps: Deps, userId: string, normalized: string) {
  const { db, keys, now } = deps
  // Under every key of the ring, so codes issued before a key rotation keep working.
  const hashes = await keys.hmacAll('backup-code', `${userId}:${normalized}`)
  const used = await db
    .update(backupCodes)
    .set({ usedAt: now() })
    .where(
      and(
        eq(backupCodes.userId, userId),
        inArray(backupCodes.codeHash, hashes),
        isNull(backupCodes.usedAt),
      ),
    )
    .returning({ id: backupCodes.id })
  if (used.length === 0) return null
  return (await backupCodeSummary(deps, userId)).remaining
}

/** Replaces the user's backup codes with 10 new ones; the plain codes are returned once. */
export async function issueBackupCodes(deps: Deps, userId: string) {
  const { db, keys, now } = deps
  const codes = generateBackupCodes()
  const createdAt = now()
  const rows = await Promise.all(
    codes.map(async (code) => ({
      id: newId('bkc'),
      userId,
      codeHash: await keys.hmac('backup-code', `${userId}:${normalizeBackupCode(code)}`),
      createdAt,
    })),
  )
  await db.batch([
    db.delete(backupCodes).where(eq(backupCodes.userId, userId)),
    db.insert(backupCodes).values(rows),
  ])
  return codes
}

export async function backupCodeSummary(deps: Deps, userId: string) {
  const [row] = await deps.db
    .select({
      total: count(),
      remaining: sql<number>`coalesce(sum(case when ${backupCodes.usedAt} is null
        then 1 else 0 end), 0)`,
      lastUsedAt: max(backupCodes.usedAt),
    })
    .from(backupCodes)
    .where(eq(backupCodes.userId, userId))
  return {
    total: row?.total ?? 0,
    remaining: Number(row?.remaining ?? 0),
    lastUsedAt: row?.lastUsedAt ?? null,
  }
}

/** Removes every authenticator, the backup codes and trusted devices in one batch. */
export async function removeSecondFactor(deps: Deps, userId: string) {
  const { db } = deps
  await db.batch([
    db.delete(authenticators).where(eq(authenticators.userId, userId)),
    db.delete(backupCodes).where(eq(backupCodes.userId, userId)),
    db.delete(trustedDevices).where(eq(trustedDevices.userId, userId)),
  ])
}
