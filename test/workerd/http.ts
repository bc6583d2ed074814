import { expect } from 'vitest'

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
/** Fires the requests at once; answers with every status and the start of every body (a hung
 * Worker's 500 is not JSON). */
export async function burst(
  baseUrl: string,
  requests: { method: string; path: string; body?: unknown; token?: string }[],
): Promise<{ status: number; text: string }[]> {
  return Promise.all(
    requests.map(async ({ method, path, body, token }) => {
      const headers: Record<string, string> = {}
      if (body !== undefined) headers['content-type'] = 'application/json'
      if (token) headers.authorization = `Bearer ${token}`
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      })
      return { status: response.status, text: (await response.text()).slice(0, 200) }
    }),
  )
}

/**
 * 100 `GET /api/auth/session` with a bogus Bearer token (each looks the token up) and 20
 * sign-ins with the right password, all at once.
 */
/**
 * 100 session reads with a bogus token and 20 password sign-ins spread over `emails` (one
 * account takes at most its password limit of parallel tries; more would rightly get 429).
 */
export function databaseBurst(emails: string[], password: string) {
  return [
    ...Array.from({ length: 100 }, () => ({
      method: 'GET',
      path: '/api/auth/session',
      token: 'bogus-token',
    })),
    ...Array.from({ length: 20 }, (_, i) => ({
      method: 'POST',
      path: '/api/auth/sign-in',
      body: { email: emails[i % emails.length], password },
    })),
  ]
}

/**
 * Four accounts, then `databaseBurst` twice: never a 5xx, exactly 100 × 401 and 20 × 200 each
 * time, and a sign-in still works afterwards (nothing left hanging in the isolate).
 */
export async function expectBurstSurvived(url: string, call: Call) {
  const password = 'correct horse battery'
  const emails = [1, 2, 3, 4].map((n) => `burst${n}@example.com`)
  for (const email of emails) {
    const signedUp = await call('POST', '/api/auth/sign-up', { body: { email, password } })
    expect(signedUp.status).toBe(201)
  }
  for (let round = 0; round < 2; round++) {
    const answers = await burst(url, databaseBurst(emails, password))
    expect(answers.filter((a) => a.status >= 500)).toEqual([])
    expect(answers.filter((a) => a.status === 401)).toHaveLength(100)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20)
  }
  const after = await call('POST', '/api/auth/sign-in', { body: { email: emails[0], password } })
  expect(after.status).toBe(200)
  expect(after.body.status).toBe('authenticated')
}
