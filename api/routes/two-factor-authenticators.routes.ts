/**
 * GET and POST /api/two-factor/authenticators, POST …/:id/verify, PATCH and DELETE …/:id:
 * one's own authenticator apps and passkeys.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { BODY, SESSION, WRITE, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { authOf, ownSecondFactorRoute, requireSession } from '../middleware/session'
import { requireStepUp } from '../middleware/step-up'
import {
  AddAuthenticatorBody,
  AuthenticatorList,
  AuthenticatorParams,
  AuthenticatorResponse,
  PendingAuthenticator,
  RenameAuthenticatorBody,
  TotpCodeBody,
} from '../schemas'
import {
  addApp,
  listAuthenticators,
  removeAuthenticator,
  renameAuthenticator,
  verifyApp,
} from '../services/authenticators.service'

const secured = ownSecondFactorRoute()

export const authenticatorRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get',
      path: '/authenticators',
      operationId: 'listAuthenticators',
      ...secured,
      summary: 'The confirmed authenticator apps and passkeys',
      responses: { 200: json(AuthenticatorList, 'Authenticators'), ...errors(...SESSION) },
    }),
    async (c) => c.json(await listAuthenticators(c.var.deps, authOf(c).user.id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/authenticators',
      operationId: 'addAuthenticator',
      ...secured,
      summary: 'Add another authenticator app (pending until confirmed with a code)',
      request: { body: jsonBody(AddAuthenticatorBody) },
      responses: {
        201: json(PendingAuthenticator, 'A pending app and its secret, shown once'),
        ...errors(...BODY, ...SESSION, 'TWO_FACTOR_NOT_ENABLED'),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('json')
      return c.json(await addApp(c.var.deps, authOf(c).user, name), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/authenticators/{id}/verify',
      operationId: 'verifyAuthenticator',
      ...secured,
      summary: 'Confirm a pending app with a code from it',
      request: { params: AuthenticatorParams, body: jsonBody(TotpCodeBody) },
      responses: {
        200: json(AuthenticatorResponse, 'The confirmed app'),
        ...errors(...BODY, ...SESSION, 'INVALID_CODE', 'NOT_FOUND', 'TWO_FACTOR_NOT_ENABLED'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { code } = c.req.valid('json')
      const answer = await verifyApp(c.var.deps, requestMeta(c), authOf(c).user, id, code)
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/authenticators/{id}',
      operationId: 'renameAuthenticator',
      ...secured,
      summary: 'Rename an authenticator',
      request: { params: AuthenticatorParams, body: jsonBody(RenameAuthenticatorBody) },
      responses: {
        200: json(AuthenticatorResponse, 'The renamed authenticator'),
        ...errors(...BODY, ...SESSION, 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { name } = c.req.valid('json')
      const auth = authOf(c)
      const answer = await renameAuthenticator(c.var.deps, requestMeta(c), auth.user.id, id, name)
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/authenticators/{id}',
      operationId: 'removeAuthenticator',
      ...secured,
      middleware: [requireSession(), requireStepUp()],
      summary: 'Remove an authenticator (needs a step-up; never the last one)',
      request: { params: AuthenticatorParams },
      responses: {
        204: { description: 'Removed' },
        ...errors(...WRITE, ...SESSION, 'STEP_UP_REQUIRED', 'NOT_FOUND', 'LAST_AUTHENTICATOR'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await removeAuthenticator(c.var.deps, requestMeta(c), authOf(c).user, id)
      return c.body(null, 204)
    },
  )
