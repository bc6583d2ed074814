/**
 * The TOTP factor and backup codes of one user: enrollment, verification with replay
 * protection, single-use backup codes. Every one-time claim is one conditional statement.
 */
import { and, count, eq, inArray, isNotNull, isNull, lt, max, sql } from 'drizzle-orm'
import type { Deps } from '../context'
import { backupCodes, factors, trustedDevices } from '../db/schema'
import { prepared } from '../db/prepared'
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

const factorOf = prepared((db) =>
  db
    .select()
    .from(factors)
    .where(eq(factors.userId, sql.placeholder('userId')))
    .prepare(),
)

export async function getFactor(deps: Deps, userId: string) {
  const [factor] = await factorOf(deps.db).all({ userId })
  return factor ?? null
}

/** The associated data a TOTP secret is encrypted with. */
export const secretAad = (userId: string) => `totp:${userId}`

/** A new pending secret, replacing any earlier pending one. */
export async function startSetup(deps: Deps, user: { id: string; email: string }) {
  const { db, keys, issuer, now } = deps
  const existing = await getFactor(deps, user.id)
  if (existing?.enabledAt) throw new HttpError(409, 'ALREADY_ENABLED')
  const secret = newTotpSecret()
  const { keyId, ciphertext } = await keys.encrypt(secret, secretAad(user.id))
  const row = {
    secretCiphertext: ciphertext,
    keyId,
    lastStep: -1,
    createdAt: now(),
    enabledAt: null,
  }
  await db
    .insert(factors)
    .values({ id: newId('fac'), userId: user.id, ...row })
    .onConflictDoUpdate({ target: factors.userId, set: row, setWhere: isNull(factors.enabledAt) })
  const otpauthUri = keyUri(secret, issuer, user.email)
  return {
    secret,
    manualEntryKey: groupKey(secret),
    otpauthUri,
    qrCodeSvg: await qrCodeSvg(otpauthUri),
  }
}

/**
 * Checks a TOTP code and claims its time step: the claim succeeds only if no later or equal
 * step was accepted before, so a code can never be used twice, even by parallel requests.
 * With `enable`, the same statement turns a pending factor on.
 */
export async function claimTotp(deps: Deps, userId: string, code: string, enable = false) {
  const { db, keys, now } = deps
  const factor = await getFactor(deps, userId)
  if (!factor || Boolean(factor.enabledAt) === enable) return false
  const secret = await keys.decrypt(factor.secretCiphertext, factor.keyId, secretAad(userId))
  const step = await matchTotp(secret, code, now())
  if (step === null || step <= factor.lastStep) return false
  const claimed = await db
    .update(factors)
    .set(enable ? { lastStep: step, enabledAt: now() } : { lastStep: step })
    .where(
      and(
        eq(factors.id, factor.id),
        lt(factors.lastStep, step),
        // Enabling: only the secret this code was checked against (a parallel setup may have
        // replaced the pending one since; its ciphertext, with a fresh IV, differs).
        enable
          ? and(isNull(factors.enabledAt), eq(factors.secretCiphertext, factor.secretCiphertext))
          : isNotNull(factors.enabledAt),
      ),
    )
    .returning({ id: factors.id })
  return claimed.length === 1
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

/** Removes the factor, backup codes and trusted devices in one batch. */
export async function removeSecondFactor(deps: Deps, userId: string) {
  const { db } = deps
  await db.batch([
    db.delete(factors).where(eq(factors.userId, userId)),
    db.delete(backupCodes).where(eq(backupCodes.userId, userId)),
    db.delete(trustedDevices).where(eq(trustedDevices.userId, userId)),
  ])
}
