/** Speaks the HTTP contract to a running Worker, parsing every answer as JSON. */
export interface Answer {
  status: number
  body: any
  headers: Headers
}

export type Call = (
  method: string,
  path: string,
  init?: { body?: unknown; token?: string },
) => Promise<Answer>

export function apiClient(baseUrl: () => string): Call {
  return async (method, path, init = {}) => {
    const headers: Record<string, string> = {}
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    if (init.token) headers.authorization = `Bearer ${init.token}`
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const text = await response.text()
    const body = text ? JSON.parse(text) : null
    return { status: response.status, body, headers: response.headers }
  }
}
