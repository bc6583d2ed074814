/**
 * A signed-in user's own second factor: its status, enrollment, turning it off, and the backup
 * codes. Changes that need a code go through `requireFactorCode` (the account's failure limit).
 */
import { asc, eq, sql } from 'drizzle-orm'
import type { Auth, AuthUser, Deps, RequestMeta } from '../context'
import { backupCodes } from '../db/schema'
import { HttpError } from '../lib/errors'
import { notify } from '../lib/notify'
import { iso } from '../lib/time'
import { recordEvent } from './audit.service'
import {
  backupCodeSummary,
  claimTotp,
  classifyCode,
  enabledAtOf,
  getAuthenticators,
  issueBackupCodes,
  removeSecondFactor,
} from './factor.service'
import { getPolicy, requirementFor } from './policy.service'
import { requireFactorCode } from './second-factor.service'
import { requireSteppedUp } from './step-up.service'
import { countDevices } from './trusted-devices.service'

type Owner = Pick<AuthUser, 'id' | 'email' | 'role' | 'roleSince'>

export async function twoFactorStatus(deps: Deps, user: Owner) {
  const rows = await getAuthenticators(deps, user.id)
  const enabledAt = enabledAtOf(rows)
  const { required, deadline } = requirementFor(await getPolicy(deps), user)
  const backup = await backupCodeSummary(deps, user.id)
  return {
    enabled: enabledAt !== null,
    enabledAt: iso(enabledAt),
    // A first app waiting for its code (apps added later are pending in their own dialog).
    pending: enabledAt === null && rows.some((a) => a.confirmedAt === null),
    required,
    setupDeadline: required ? iso(deadline) : null,
    backupCodes: { ...backup, lastUsedAt: iso(backup.lastUsedAt) },
    trustedDevices: await countDevices(deps, user.id),
  }
}

/** Confirms enrollment with a TOTP code; returns the first backup codes (shown once). */
export async function enableTwoFactor(deps: Deps, meta: RequestMeta, user: Owner, code: string) {
  const rows = await getAuthenticators(deps, user.id)
  if (enabledAtOf(rows) !== null) throw new HttpError(409, 'ALREADY_ENABLED')
  if (!rows.some((a) => a.type === 'totp')) throw new HttpError(400, 'NO_PENDING_SETUP')
  const { value } = classifyCode(code, 'totp')
  if (!(await claimTotp(deps, user.id, value, true, undefined, rows))) {
    throw new HttpError(401, 'INVALID_CODE')
  }
  const codes = await issueBackupCodes(deps, user.id)
  await recordEvent(deps, meta, {
    action: 'two_factor_enabled',
    userId: user.id,
    metadata: { method: 'totp' },
  })
  notify(deps, user.email, { kind: 'two_factor_enabled' })
  return { enabled: true as const, backupCodes: codes }
}

async function requireEnabled(deps: Deps, userId: string) {
  if (enabledAtOf(await getAuthenticators(deps, userId)) === null) {
    throw new HttpError(400, 'NOT_ENABLED')
  }
}

/**
 * A code (TOTP, or a backup code unless `totpOnly`) that passes, or none within the session's
 * step-up window (403 STEP_UP_REQUIRED outside it). Returns the method, `step_up` for none.
 */
async function codeOrStepUp(
  deps: Deps,
  meta: RequestMeta,
  auth: Auth,
  code: string | undefined,
  totpOnly = false,
) {
  if (code === undefined) {
    await requireSteppedUp(deps, auth)
    return 'step_up' as const
  }
  const kind = classifyCode(code, totpOnly ? 'totp' : undefined)
  return (await requireFactorCode(deps, meta, auth.user, kind)).method
}

/** Turns the second factor off (every authenticator) with a code or within a step-up window. */
export async function disableTwoFactor(
  deps: Deps,
  meta: RequestMeta,
  auth: Auth,
  code: string | undefined,
) {
  const { user } = auth
  await requireEnabled(deps, user.id)
  const method = await codeOrStepUp(deps, meta, auth, code)
  await removeSecondFactor(deps, user.id)
  await recordEvent(deps, meta, {
    action: 'two_factor_disabled',
    userId: user.id,
    metadata: { method },
  })
  notify(deps, user.email, { kind: 'two_factor_disabled' })
  return { enabled: false as const }
}

/** Replaces every backup code, with a TOTP code or within a step-up window. */
export async function regenerateBackupCodes(
  deps: Deps,
  meta: RequestMeta,
  auth: Auth,
  code: string | undefined,
) {
  const { user } = auth
  await requireEnabled(deps, user.id)
  await codeOrStepUp(deps, meta, auth, code, true)
  const codes = await issueBackupCodes(deps, user.id)
  await recordEvent(deps, meta, {
    action: 'backup_codes_regenerated',
    userId: user.id,
    metadata: { count: codes.length },
  })
  return { backupCodes: codes }
}

/** The backup codes on file, in issue order (rowid): slot N is the Nth code the user was shown. */
export async function listBackupCodes(deps: Deps, userId: string) {
  const rows = await deps.db
    .select({ id: backupCodes.id, createdAt: backupCodes.createdAt, usedAt: backupCodes.usedAt })
    .from(backupCodes)
    .where(eq(backupCodes.userId, userId))
    .orderBy(asc(backupCodes.createdAt), sql`rowid`)
  const codes = rows.map((r) => ({ id: r.id, createdAt: iso(r.createdAt)!, usedAt: iso(r.usedAt) }))
  return { codes }
}
