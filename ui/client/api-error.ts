import type { ErrorCode } from '../../shared/error-codes'
import type { ErrorResponse } from './types'

/** Every code an {@link ApiError} can carry: the API's codes plus the client's own. */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR'

export type ApiIssue = NonNullable<ErrorResponse['error']['issues']>[number]

/** The error body's fields (derived from the API's `ErrorSchema`), the status and a cause. */
export type ApiErrorInit = Omit<ErrorResponse['error'], 'code'> & {
  code: ApiErrorCode
  status: number
  cause?: unknown
}

/**
 * A failed call of the Twofold API. `status` is 0 and `code` is `NETWORK_ERROR` when the
 * server could not be reached at all.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: number
  /** Seconds to wait before trying again (429 answers). */
  readonly retryAfter?: number
  /** Wrong codes the current sign-in challenge still allows (401 `INVALID_CODE`). */
  readonly attemptsRemaining?: number
  /** What was wrong with the input (400 `VALIDATION_FAILED`). */
  readonly issues?: ApiIssue[]

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause })
    this.name = 'ApiError'
    this.code = init.code
    this.status = init.status
    this.retryAfter = init.retryAfter
    this.attemptsRemaining = init.attemptsRemaining
    this.issues = init.issues
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

/** Builds the ApiError of a non-2xx response, whatever its body turns out to be. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: Partial<ErrorResponse> | undefined
  try {
    body = (await response.json()) as Partial<ErrorResponse>
  } catch {
    body = undefined
  }
  const error = body?.error
  const header = Number(response.headers.get('retry-after'))
  const retryAfter =
    error?.retryAfter ?? (Number.isFinite(header) && header > 0 ? header : undefined)
  return new ApiError({
    code: (error?.code as ApiErrorCode | undefined) ?? fallbackCode(response.status),
    status: response.status,
    message: error?.message ?? (response.statusText || `HTTP ${response.status}`),
    retryAfter,
    attemptsRemaining: error?.attemptsRemaining,
    issues: error?.issues,
  })
}

function fallbackCode(status: number): ApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'NOT_FOUND'
  if (status === 429) return 'TOO_MANY_ATTEMPTS'
  return 'INTERNAL_ERROR'
}

export function networkError(cause: unknown): ApiError {
  return new ApiError({
    code: 'NETWORK_ERROR',
    status: 0,
    message: 'The server could not be reached.',
    cause,
  })
}
