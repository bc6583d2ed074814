import type { z } from '@hono/zod-openapi'
import { ErrorSchema } from '../schemas'

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

const error = (description: string) => json(ErrorSchema, description)

/** The error answers every route may give, for the OpenAPI document. */
export const errors = {
  400: error('Malformed JSON or invalid input (VALIDATION_FAILED, with issues)'),
  401: error('Not signed in, wrong credentials or wrong code'),
  403: error('Signed in but not allowed'),
  404: error('Unknown route or resource'),
  409: error('Conflict'),
  413: error('Request body over 16 KiB'),
  429: error('Throttled or locked: Retry-After header and retryAfter'),
} as const

export const sessionSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { sessionCookie: [] }]
