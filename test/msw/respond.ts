import { delay, http, HttpResponse } from 'msw'
import type { ErrorCode, HttpErrorExtra } from '../../api/lib/errors'
import type { ErrorResponse } from '../../ui/client/types'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** Matches the route on any origin, so the same handlers serve the browser and Node. */
export const route = (path: string) => `*${path}`

/** What an error carries besides its code: the server's own type (the message is optional). */
type ErrorExtra = HttpErrorExtra

/** The contract's one error shape, with Retry-After on 429s. */
export function apiError(status: number, code: ErrorCode, extra: ErrorExtra = {}) {
  const { message, ...rest } = extra
  const body: ErrorResponse = { error: { code, message: message ?? code, ...rest } }
  const headers: Record<string, string> = {}
  if (rest.retryAfter !== undefined) headers['retry-after'] = String(rest.retryAfter)
  return HttpResponse.json(body, { status, headers })
}

/** A route that never answers: the component stays in its loading state. */
export function loading(method: HttpMethod, path: string) {
  return http[method](route(path), async () => {
    await delay('infinite')
    return new HttpResponse(null, { status: 204 })
  })
}

/** A route that always fails with the given error. */
export function failing(
  method: HttpMethod,
  path: string,
  status: number,
  code: ErrorCode,
  extra?: ErrorExtra,
) {
  return http[method](route(path), () => apiError(status, code, extra))
}

/** A route whose server cannot be reached (the client raises NETWORK_ERROR). */
export function offline(method: HttpMethod, path: string) {
  return http[method](route(path), () => HttpResponse.error())
}

/** A route answering a fixed JSON body. */
export function answering<T extends object>(
  method: HttpMethod,
  path: string,
  body: T,
  status = 200,
) {
  return http[method](route(path), () => HttpResponse.json(body, { status }))
}
