/** POST and GET /api/two-factor/backup-codes */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { BODY, CODE_OR_STEP_UP, SESSION, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { BackupCodeList, BackupCodesResponse, OptionalTotpCodeBody } from '../schemas'
import { authOf, ownSecondFactorRoute } from '../middleware/session'
import { listBackupCodes, regenerateBackupCodes } from '../services/two-factor.service'

const secured = ownSecondFactorRoute()

export const backupCodeRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'post',
      path: '/backup-codes',
      operationId: 'regenerateBackupCodes',
      ...secured,
      summary: 'Replace all backup codes (needs a TOTP code, or no body within a step-up window)',
      request: { body: { ...jsonBody(OptionalTotpCodeBody), required: false } },
      responses: {
        200: json(BackupCodesResponse, 'The new codes, shown once'),
        ...errors(...CODE_OR_STEP_UP),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('json') ?? {}
      const answer = await regenerateBackupCodes(c.var.deps, requestMeta(c), authOf(c), code)
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/backup-codes',
      operationId: 'listBackupCodes',
      ...secured,
      summary: 'The backup codes on file (never the codes themselves)',
      responses: { 200: json(BackupCodeList, 'Codes'), ...errors(...SESSION) },
    }),
    async (c) => c.json(await listBackupCodes(c.var.deps, authOf(c).user.id), 200),
  )
