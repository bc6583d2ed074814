/**
 * GET /api/two-factor, POST /api/two-factor/setup, POST /api/two-factor/setup/verify and
 * POST /api/two-factor/disable: one's own second factor.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { BODY, CODE_OR_STEP_UP, SESSION, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import {
  DisabledResponse,
  EnabledResponse,
  OptionalCodeBody,
  SetupResponse,
  TotpCodeBody,
  TwoFactorStatus,
} from '../schemas'
import { authOf, ownSecondFactorRoute } from '../middleware/session'
import { startSetup } from '../services/factor.service'
import { disableTwoFactor, enableTwoFactor, twoFactorStatus } from '../services/two-factor.service'

const route = <const P extends string, const M extends 'get' | 'post'>(
  method: M,
  path: P,
  operationId: string,
) => ({
  method,
  path,
  operationId,
  ...ownSecondFactorRoute(),
})

export const twoFactorRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...route('get', '/', 'getTwoFactor'),
      summary: 'Second-factor status',
      responses: { 200: json(TwoFactorStatus, 'Status'), ...errors(...SESSION) },
    }),
    async (c) => c.json(await twoFactorStatus(c.var.deps, authOf(c).user), 200),
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
    async (c) => c.json(await startSetup(c.var.deps, authOf(c).user), 200),
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
      const { code } = c.req.valid('json')
      const answer = await enableTwoFactor(c.var.deps, requestMeta(c), authOf(c).user, code)
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      ...route('post', '/disable', 'disableTwoFactor'),
      summary:
        'Turn the second factor off: every authenticator and the backup codes (needs a TOTP or ' +
        'backup code, or no body within a step-up window)',
      request: { body: { ...jsonBody(OptionalCodeBody), required: false } },
      responses: {
        200: json(DisabledResponse, 'Disabled'),
        ...errors(...CODE_OR_STEP_UP),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('json') ?? {}
      const answer = await disableTwoFactor(c.var.deps, requestMeta(c), authOf(c), code)
      return c.json(answer, 200)
    },
  )
