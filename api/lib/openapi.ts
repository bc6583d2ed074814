import type { z } from '@hono/zod-openapi'
import { ErrorSchema } from '../schemas'
import type { ErrorCode } from './errors'

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** The session cookie a response sets (sign-up, sign-in) or clears (sign-out). */
export const setCookieHeader = (description: string) => ({
  'Set-Cookie': { description, schema: { type: 'string' as const } },
})

/** How the session cookie that sign-up and sign-in set is documented. */
export const SESSION_COOKIE_DOC =
  'The session cookie (HttpOnly, SameSite=Lax, Path=/; Secure and `__Host-` prefixed on https).'

/** A success answer that sets cookies. */
export const jsonWithCookies = <T extends z.ZodType>(
  schema: T,
  description: string,
  cookies: string,
) => ({
  ...json(schema, description),
  headers: setCookieHeader(cookies),
})

/** The HTTP status of each error code a route can document. */
const STATUS_OF = {
  VALIDATION_FAILED: 400,
  NOT_ENABLED: 400,
  NO_PENDING_SETUP: 400,
  CANNOT_RESET_SELF: 400,
  INVALID_CREDENTIAL: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_CODE: 401,
  INVALID_CHALLENGE: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  TWO_FACTOR_SETUP_REQUIRED: 403,
  EMAIL_FALLBACK_DISABLED: 403,
  STEP_UP_REQUIRED: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  ALREADY_ENABLED: 409,
  LAST_ADMIN: 409,
  LAST_AUTHENTICATOR: 409,
  PASSKEY_EXISTS: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
} as const satisfies Partial<Record<ErrorCode, number>>

export type DocumentedCode = keyof typeof STATUS_OF
type StatusOf<C extends DocumentedCode> = (typeof STATUS_OF)[C]

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input',
  401: 'Not signed in, wrong credentials or wrong code',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body over 16 KiB',
  415: 'The request body is not application/json',
  429: 'Throttled or locked: wait `Retry-After` seconds (also `retryAfter` in the body)',
}

const retryAfterHeader = {
  'Retry-After': {
    description: 'Seconds to wait before trying again (the same as `error.retryAfter`).',
    required: true,
    schema: { type: 'integer' as const, minimum: 1 },
  },
}

type ErrorResponse = ReturnType<typeof json<typeof ErrorSchema>> & {
  headers?: typeof retryAfterHeader
}

/**
 * The error answers of one operation, from the codes it can answer with: each status is listed
 * once, its description names the codes, and 429 documents the `Retry-After` header.
 */
export function errors<const C extends DocumentedCode>(
  ...codes: C[]
): { [S in StatusOf<C>]: ErrorResponse } {
  const byStatus = new Map<number, string[]>()
  for (const code of new Set(codes)) {
    const status = STATUS_OF[code]
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  const responses: Record<number, ErrorResponse> = {}
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = `${STATUS_TEXT[status]}: ${list.map((c) => `\`${c}\``).join(', ')}`
    responses[status] = {
      ...json(ErrorSchema, description),
      ...(status === 429 ? { headers: retryAfterHeader } : {}),
    }
  }
  return responses as { [S in StatusOf<C>]: ErrorResponse }
}

/** Codes of every unsafe request (POST, PUT, PATCH, DELETE): a cross-site browser request. */
export const WRITE = ['CSRF_FAILED'] as const
/** Codes of an operation that takes a JSON body. */
export const BODY = [
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'CSRF_FAILED',
] as const
/** Codes of an operation behind the session and the enforcement policy's fence. */
export const SESSION = ['UNAUTHORIZED', 'TWO_FACTOR_SETUP_REQUIRED'] as const
/** Codes of a self-service change that takes a code, or no body within a step-up window. */
export const CODE_OR_STEP_UP = [
  ...BODY,
  ...SESSION,
  'NOT_ENABLED',
  'INVALID_CODE',
  'STEP_UP_REQUIRED',
  'TOO_MANY_ATTEMPTS',
] as const
/** Codes of an administrators' operation. */
export const ADMIN = ['UNAUTHORIZED', 'TWO_FACTOR_SETUP_REQUIRED', 'FORBIDDEN'] as const

/** A signed-in session: the Bearer token or the session cookie. */
export const sessionSecurity: Array<Record<string, string[]>> = [
  { bearerAuth: [] },
  { sessionCookie: [] },
]
/** No credentials needed (sign-up, sign-in, the second step, health). */
export const publicSecurity: Array<Record<string, string[]>> = []
