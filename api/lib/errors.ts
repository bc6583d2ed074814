import type { z } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERROR_CODES, type ErrorCode } from '../../shared/error-codes'
import type { ErrorSchema } from '../schemas'
import { describeError } from './log'

export { ERROR_CODES, type ErrorCode }

/** The one error body every route answers with (`ErrorSchema` in api/schemas.ts). */
export type ErrorBody = z.output<typeof ErrorSchema>

/** What an error may carry besides its code; the message defaults to the code's. */
export type HttpErrorExtra = Partial<Omit<ErrorBody['error'], 'code'>>

/** Thrown anywhere in a handler; `app.onError` renders it as the one error shape. */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: ErrorCode
  readonly extra: HttpErrorExtra

  constructor(status: ContentfulStatusCode, code: ErrorCode, extra: HttpErrorExtra = {}) {
    super(extra.message ?? ERROR_CODES[code])
    this.status = status
    this.code = code
    this.extra = extra
  }

  toBody(): ErrorBody {
    const { issues, retryAfter, attemptsRemaining } = this.extra
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(issues ? { issues } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
        ...(attemptsRemaining !== undefined ? { attemptsRemaining } : {}),
      },
    }
  }

  toResponse(): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (this.extra.retryAfter !== undefined) headers['retry-after'] = String(this.extra.retryAfter)
    return new Response(JSON.stringify(this.toBody()), { status: this.status, headers })
  }
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new HttpError(429, 'TOO_MANY_ATTEMPTS', {
    retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)),
  })

/**
 * `app.onError`: every error as the one shape. Hono's own (body limit, malformed JSON, media
 * type) map to their codes; anything unexpected is logged (without bound parameters) and is a
 * 500 that says nothing more.
 */
export function renderError(err: Error): Response {
  if (err instanceof HttpError) return err.toResponse()
  if (err instanceof HTTPException) {
    const status = err.status
    if (status === 415) return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE').toResponse()
    if (status === 413) return new HttpError(413, 'PAYLOAD_TOO_LARGE').toResponse()
    if (status === 400) {
      return new HttpError(400, 'VALIDATION_FAILED', {
        issues: [{ path: [], message: 'The request body is not valid JSON.' }],
      }).toResponse()
    }
    if (status < 500)
      return new HttpError(status, 'VALIDATION_FAILED', { message: err.message }).toResponse()
  }
  console.error('[twofold] unexpected error:', describeError(err))
  return new HttpError(500, 'INTERNAL_ERROR').toResponse()
}
