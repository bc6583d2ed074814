import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { errors, json, jsonBody } from '../../lib/openapi'
import { EmailCodeBody, EmailCodeSent } from '../../schemas'
import { sendEmailCode } from './email-code.service'

export const emailCodeRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'post',
    path: '/sign-in/two-factor/email',
    tags: ['Accounts and sign-in'],
    summary: 'Email a 6-digit code for the challenge (fallback second factor)',
    request: { body: jsonBody(EmailCodeBody) },
    responses: { 202: json(EmailCodeSent, 'Code sent'), ...errors },
  }),
  async (c) => c.json(await sendEmailCode(c, c.req.valid('json').challengeToken), 202),
)
