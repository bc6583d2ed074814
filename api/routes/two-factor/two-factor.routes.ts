import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import { asc, eq, sql } from 'drizzle-orm'
import type { AppEnv, Ctx } from '../../context'
import { backupCodes } from '../../db/schema'
import { recordEvent } from '../../lib/audit'
import { ApiError, tooManyAttempts } from '../../lib/errors'
import { notify } from '../../lib/notify'
import { BODY, SESSION, errors, json, jsonBody, sessionSecurity } from '../../lib/openapi'
import { iso } from '../../lib/request-meta'
import { authOf, requireSession } from '../../middleware/session'
import {
  BackupCodeList,
  BackupCodesResponse,
  CodeBody,
  TotpCodeBody,
  DisabledResponse,
  EnabledResponse,
  SetupResponse,
  TwoFactorStatus,
} from '../../schemas'
import { getPolicy, requirementFor } from '../admin/policy.service'
import { backupCodeSummary, claimTotp, classifyCode, getFactor, issueBackupCodes, removeSecondFactor, startSetup } from './factor.service'
import { countDevices } from './trusted-devices.service'
import { checkSecondFactor } from './verify.service'
import { trustedDeviceRoutes } from './trusted-devices.routes'

const tags = ['Own second factor']
const route = <const P extends string, const M extends 'get' | 'post'>(
  method: M,
  path: P,
  operationId: string,
) => ({
  method,
  path,
  operationId,
  tags,
  middleware: [requireSession()],
  security: sessionSecurity,
})

/** Judges a code for a change to one's own factor; throws the contract's errors. */
async function requireCode(c: Ctx, raw: string, method?: 'totp') {
  const { user } = authOf(c)
  const result = await checkSecondFactor(c, user, classifyCode(raw, method))
  if (result.status === 'locked') throw tooManyAttempts(result.retryAfterSeconds)
  if (result.status === 'failed') {
    if (result.lockedUntil) throw tooManyAttempts((result.lockedUntil - c.var.deps.now()) / 1000)
    throw new ApiError(401, 'INVALID_CODE')
  }
  return result
}

async function requireEnabled(c: Ctx) {
  const factor = await getFactor(c, authOf(c).user.id)
  if (!factor?.enabledAt) throw new ApiError(400, 'NOT_ENABLED')
}

export const twoFactorRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...route('get', '/', 'getTwoFactor'),
      summary: 'Second-factor status',
      responses: { 200: json(TwoFactorStatus, 'Status'), ...errors(...SESSION) },
    }),
    async (c) => {
      const { user } = authOf(c)
      const factor = await getFactor(c, user.id)
      const { required, deadline } = requirementFor(await getPolicy(c), user)
      return c.json(
        {
          enabled: Boolean(factor?.enabledAt),
          enabledAt: iso(factor?.enabledAt),
          pending: Boolean(factor && !factor.enabledAt),
          required,
          setupDeadline: required ? iso(deadline) : null,
          backupCodes: await backupCodeSummary(c, user.id).then((s) => ({ ...s, lastUsedAt: iso(s.lastUsedAt) })),
          trustedDevices: await countDevices(c, user.id),
        },
        200,
      )
    },
  )
  .openapi(
    createRoute({
      ...route('post', '/setup', 'startTwoFactorSetup'),
      summary: 'Start enrollment: a new pending secret with its QR code',
      responses: {
        200: json(SetupResponse, 'Pending secret'),
        ...errors('UNAUTHORIZED', 'CSRF_FAILED', 'ALREADY_ENABLED'),
      },
    }),
    async (c) => c.json(await startSetup(c, authOf(c).user), 200),
  )
  .openapi(
    createRoute({
      ...route('post', '/setup/verify', 'verifyTwoFactorSetup'),
      summary: 'Confirm enrollment with a code; returns 10 backup codes once',
      request: { body: jsonBody(TotpCodeBody) },
      responses: {
        200: json(EnabledResponse, 'Enabled'),
        ...errors(...BODY, 'UNAUTHORIZED', 'NO_PENDING_SETUP', 'INVALID_CODE', 'ALREADY_ENABLED'),
      },
    }),
    async (c) => {
      const { user } = authOf(c)
      const factor = await getFactor(c, user.id)
      if (factor?.enabledAt) throw new ApiError(409, 'ALREADY_ENABLED')
      if (!factor) throw new ApiError(400, 'NO_PENDING_SETUP')
      const { value } = classifyCode(c.req.valid('json').code, 'totp')
      if (!(await claimTotp(c, user.id, value, true))) throw new ApiError(401, 'INVALID_CODE')
      const codes = await issueBackupCodes(c, user.id)
      await recordEvent(c, { action: 'two_factor_enabled', userId: user.id, metadata: { method: 'totp' } })
      notify(c, user.email, { kind: 'two_factor_enabled' })
      return c.json({ enabled: true as const, backupCodes: codes }, 200)
    },
  )
  .openapi(
    createRoute({
      ...route('post', '/disable', 'disableTwoFactor'),
      summary: 'Turn the second factor off (needs a TOTP or backup code)',
      request: { body: jsonBody(CodeBody) },
      responses: {
        200: json(DisabledResponse, 'Disabled'),
        ...errors(...BODY, ...SESSION, 'NOT_ENABLED', 'INVALID_CODE', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      await requireEnabled(c)
      const { user } = authOf(c)
      const { method } = await requireCode(c, c.req.valid('json').code)
      await removeSecondFactor(c, user.id)
      await recordEvent(c, { action: 'two_factor_disabled', userId: user.id, metadata: { method } })
      notify(c, user.email, { kind: 'two_factor_disabled' })
      return c.json({ enabled: false as const }, 200)
    },
  )
  .openapi(
    createRoute({
      ...route('post', '/backup-codes', 'regenerateBackupCodes'),
      summary: 'Replace all backup codes (needs a TOTP code)',
      request: { body: jsonBody(TotpCodeBody) },
      responses: {
        200: json(BackupCodesResponse, 'The new codes, shown once'),
        ...errors(...BODY, ...SESSION, 'NOT_ENABLED', 'INVALID_CODE', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      await requireEnabled(c)
      const { user } = authOf(c)
      await requireCode(c, c.req.valid('json').code, 'totp')
      const codes = await issueBackupCodes(c, user.id)
      await recordEvent(c, { action: 'backup_codes_regenerated', userId: user.id, metadata: { count: codes.length } })
      return c.json({ backupCodes: codes }, 200)
    },
  )
  .openapi(
    createRoute({
      ...route('get', '/backup-codes', 'listBackupCodes'),
      summary: 'The backup codes on file (never the codes themselves)',
      responses: { 200: json(BackupCodeList, 'Codes'), ...errors(...SESSION) },
    }),
    async (c) => {
      const rows = await c.var.deps.db
        .select({ id: backupCodes.id, createdAt: backupCodes.createdAt, usedAt: backupCodes.usedAt })
        .from(backupCodes)
        .where(eq(backupCodes.userId, authOf(c).user.id))
        // Issue order (rowid), so slot N is the Nth code the user was shown.
        .orderBy(asc(backupCodes.createdAt), sql`rowid`)
      const codes = rows.map((r) => ({ id: r.id, createdAt: iso(r.createdAt)!, usedAt: iso(r.usedAt) }))
      return c.json({ codes }, 200)
    },
  )
  .route('/', trustedDeviceRoutes)
