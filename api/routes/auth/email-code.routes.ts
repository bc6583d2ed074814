import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { BODY, errors, json, jsonBody, publicSecurity } from '../../lib/openapi'
import { EmailCodeBody, EmailCodeSent } from '../../schemas'
import { sendEmailCode } from './email-code.service'

export const emailCodeRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'post',
    path: '/sign-in/two-factor/email',
    operationId: 'sendEmailCode',
    security: publicSecurity,
    tags: ['Accounts and sign-in'],
    summary: 'Email a 6-digit code for the challenge (fallback second factor)',
    request: { body: jsonBody(EmailCodeBody) },
    responses: {
      202: json(EmailCodeSent, 'Code sent'),
      ...errors(...BODY, 'INVALID_CHALLENGE', 'EMAIL_FALLBACK_DISABLED', 'TOO_MANY_ATTEMPTS'),
    },
  }),
  async (c) => c.json(await sendEmailCode(c, c.req.valid('json').challengeToken), 202),
)
