import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERROR_CODES, type ErrorBody, type ErrorCode } from './error-codes'

export { ERROR_CODES, type ErrorBody, type ErrorCode }

export interface ApiErrorExtra {
  message?: string
  issues?: ErrorBody['error']['issues']
  retryAfter?: number
  attemptsRemaining?: number
}

/** Thrown anywhere in a handler; `app.onError` renders it as the one error shape. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: ErrorCode
  readonly extra: ApiErrorExtra

  constructor(status: ContentfulStatusCode, code: ErrorCode, extra: ApiErrorExtra = {}) {
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
  new ApiError(429, 'TOO_MANY_ATTEMPTS', { retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)) })
