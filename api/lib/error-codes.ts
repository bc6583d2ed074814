import type { ErrorCode } from '../../shared/error-codes'

export { ERROR_CODES, type ErrorCode } from '../../shared/error-codes'

/** The one error body every route answers with. */
export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    issues?: Array<{ path: Array<string | number>; message: string; code?: string }>
    retryAfter?: number
    attemptsRemaining?: number
  }
}
