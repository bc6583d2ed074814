import { errorFromResponse, networkError } from './api-error'
import type * as T from './types'

export interface TwoFactorClientOptions {
  /**
   * Origin (and optional path prefix) of the Twofold API; routes are appended to it.
   * @default '' (the page's own origin)
   */
  baseUrl?: string
  /**
   * The fetch implementation to call.
   * @default globalThis.fetch, looked up on every call
   */
  fetch?: typeof fetch
  /**
   * Whether cookies (session, trusted device) go with each request.
   * @default 'include'
   */
  credentials?: RequestCredentials
  /** Returns a session token to send as `Authorization: Bearer`; cookies are used without it. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>
}

type Query = Record<string, string | number | boolean | undefined | null>

interface RequestOptions {
  body?: unknown
  query?: Query
}

function toQueryString(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

function resolveUrl(baseUrl: string, path: string): string {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`
  // Node's fetch (tests, SSR) refuses relative URLs; browsers resolve them against the page.
  if (/^[a-z][a-z\d+.-]*:/i.test(url) || typeof location === 'undefined') return url
  return new URL(url, location.href).toString()
}

/** Runs when the API says this session must set up 2FA before anything else. */
export type SetupRequiredListener = () => void

/** Whether a sign-in answer says setup is due now (its deadline has passed). */
function setupDue(answer: T.SignInResponse): boolean {
  if (answer.status !== 'authenticated' || !answer.twoFactorSetupRequired) return false
  return !answer.setupDeadline || Date.parse(answer.setupDeadline) <= Date.now()
}

/** A typed client of every route of the Twofold HTTP contract. Failures throw {@link ApiError}. */
export function createTwoFactorClient(options: TwoFactorClientOptions = {}) {
  const { baseUrl = '', credentials = 'include', getToken } = options
  const setupListeners = new Set<SetupRequiredListener>()
  const announceSetupRequired = () => {
    for (const listener of [...setupListeners]) listener()
  }

  async function request<R>(method: string, path: string, init: RequestOptions = {}): Promise<R> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const token = getToken ? await getToken() : undefined
    if (token) headers.authorization = `Bearer ${token}`

    const doFetch = options.fetch ?? globalThis.fetch
    let response: Response
    try {
      response = await doFetch(resolveUrl(baseUrl, path + toQueryString(init.query)), {
        method,
        headers,
        credentials,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      })
    } catch (cause) {
      throw networkError(cause)
    }
    if (!response.ok) {
      const error = await errorFromResponse(response)
      if (error.code === 'TWO_FACTOR_SETUP_REQUIRED') announceSetupRequired()
      throw error
    }
    if (response.status === 204) return undefined as R
    const text = await response.text()
    return (text ? JSON.parse(text) : undefined) as R
  }

  const get = <R>(path: string, query?: Query) => request<R>('GET', path, { query })
  const post = <R>(path: string, body?: unknown) => request<R>('POST', path, { body })
  const id = (value: string) => encodeURIComponent(value)

  return {
    /**
     * Calls `listener` whenever the API says the session must set up 2FA first: a sign-in past
     * the policy's deadline, or any answer 403 `TWO_FACTOR_SETUP_REQUIRED`. Returns an
     * unsubscribe function. The provider uses it to open the setup dialog.
     */
    onSetupRequired(listener: SetupRequiredListener): () => void {
      setupListeners.add(listener)
      return () => void setupListeners.delete(listener)
    },
    auth: {
      signUp: (body: T.SignUpBody) => post<T.SessionResponse>('/api/auth/sign-up', body),
      signIn: async (body: T.SignInBody) => {
        const answer = await post<T.SignInResponse>('/api/auth/sign-in', body)
        if (setupDue(answer)) announceSetupRequired()
        return answer
      },
      verifyTwoFactor: (body: T.TwoFactorSignInBody) =>
        post<T.TwoFactorSignInResponse>('/api/auth/sign-in/two-factor', body),
      sendEmailCode: (body: T.EmailCodeBody) =>
        post<T.EmailCodeSent>('/api/auth/sign-in/two-factor/email', body),
      signOut: () => post<void>('/api/auth/sign-out'),
      getSession: () => get<T.CurrentSessionResponse>('/api/auth/session'),
    },
    twoFactor: {
      getStatus: () => get<T.TwoFactorStatus>('/api/two-factor'),
      startSetup: () => post<T.SetupResponse>('/api/two-factor/setup'),
      verifySetup: (body: T.CodeBody) =>
        post<T.EnabledResponse>('/api/two-factor/setup/verify', body),
      disable: (body: T.CodeBody) => post<T.DisabledResponse>('/api/two-factor/disable', body),
      listBackupCodes: () => get<T.BackupCodeList>('/api/two-factor/backup-codes'),
      regenerateBackupCodes: (body: T.CodeBody) =>
        post<T.BackupCodesResponse>('/api/two-factor/backup-codes', body),
      listTrustedDevices: () => get<T.TrustedDeviceList>('/api/two-factor/trusted-devices'),
      revokeTrustedDevice: (deviceId: string) =>
        request<void>('DELETE', `/api/two-factor/trusted-devices/${id(deviceId)}`),
      revokeAllTrustedDevices: () => request<void>('DELETE', '/api/two-factor/trusted-devices'),
      listEvents: () => get<T.EventList>('/api/two-factor/events'),
    },
    admin: {
      listUsers: (query: T.AdminUsersQuery = {}) => get<T.AdminUserList>('/api/admin/users', query),
      setRole: (userId: string, body: T.RoleBody) =>
        request<T.User>('PATCH', `/api/admin/users/${id(userId)}`, { body }),
      resetTwoFactor: (userId: string, body: T.ResetBody = {}) =>
        post<T.UserResponse>(`/api/admin/users/${id(userId)}/two-factor/reset`, body),
      unlockUser: (userId: string) => post<T.UserResponse>(`/api/admin/users/${id(userId)}/unlock`),
      getPolicy: () => get<T.Policy>('/api/admin/policy'),
      updatePolicy: (body: T.PolicyBody) => request<T.Policy>('PUT', '/api/admin/policy', { body }),
      getStats: () => get<T.Stats>('/api/admin/stats'),
      getDailyStats: (query: T.DailyStatsQuery = {}) =>
        get<T.DailyStats>('/api/admin/stats/daily', query),
      listAudit: (query: T.AuditQuery = {}) => get<T.AuditList>('/api/admin/audit', query),
      listOutbox: () => get<T.OutboxList>('/api/admin/outbox'),
    },
  }
}

export type TwoFactorClient = ReturnType<typeof createTwoFactorClient>
