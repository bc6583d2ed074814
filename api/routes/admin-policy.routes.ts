/** GET and PUT /api/admin/policy */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { ADMIN, BODY, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta } from '../lib/request-meta'
import { Policy, PolicyBody } from '../schemas'
import { administrationRoute, authOf } from '../middleware/session'
import { getPolicy, publicPolicy, setPolicy } from '../services/policy.service'

const secured = administrationRoute()

export const policyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/policy',
      operationId: 'getPolicy',
      summary: 'The enforcement policy',
      responses: { 200: json(Policy, 'Policy'), ...errors(...ADMIN) },
    }),
    async (c) => c.json(publicPolicy(await getPolicy(c.var.deps)), 200),
  )
  .openapi(
    createRoute({
      ...secured,
      method: 'put',
      path: '/policy',
      operationId: 'setPolicy',
      summary: 'Set the enforcement policy',
      request: { body: jsonBody(PolicyBody) },
      responses: { 200: json(Policy, 'Policy'), ...errors(...BODY, ...ADMIN) },
    }),
    async (c) => {
      const actorId = authOf(c).user.id
      return c.json(await setPolicy(c.var.deps, requestMeta(c), actorId, c.req.valid('json')), 200)
    },
  )
