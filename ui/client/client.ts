import { API_PATHS as P, apiPath } from '../../shared/api-paths'
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
  /**
   * Bearer mode, for an API on another site (whose cookies the browser will not send): the
   * client keeps the session token that sign-up and sign-in answer with, sends it as
   * `Authorization: Bearer`, and forgets it on sign-out or when the API answers
   * `UNAUTHORIZED`. `true` keeps it in memory (a reload signs out); pass a
   * {@link TokenStore}, such as `webStorageTokenStore(sessionStorage)`, to keep it elsewhere.
   * `getToken`, when given, is asked first.
   * @default false (cookies)
   */
  bearer?: boolean | TokenStore
}

/** Where Bearer mode keeps the session token. */
export interface TokenStore {
  get(): string | null | undefined
  set(token: string | null): void
}

/** A token store in memory: the token lives as long as the page. */
export function memoryTokenStore(initial: string | null = null): TokenStore {
  let token = initial
  return {
    get: () => token,
    set: (next) => {
      token = next
    },
  }
}

/**
 * A token store in Web Storage (`sessionStorage` survives reloads in one tab, `localStorage`
 * across tabs). Any script on the page can read it: keep the page free of untrusted scripts.
 */
export function webStorageTokenStore(storage: Storage, key = 'twofold.session'): TokenStore {
  return {
    get: () => storage.getItem(key),
    set: (token) => (token ? storage.setItem(key, token) : storage.removeItem(key)),
  }
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
  const { baseUrl = '', credentials = 'include', getToken, bearer = false } = options
  const store: TokenStore | null =
    bearer === true ? memoryTokenStore() : bearer === false ? null : bearer
  const setupListeners = new Set<SetupRequiredListener>()
  const announceSetupRequired = () => {
    for (const listener of [...setupListeners]) listener()
  }

  async function request<R>(method: string, path: string, init: RequestOptions = {}): Promise<R> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const given = getToken ? await getToken() : undefined
    const stored = given ? null : (store?.get() ?? null)
    const token = given || stored
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
      // The kept session ended (expired, revoked): forget it.
      if (stored && error.code === 'UNAUTHORIZED') store?.set(null)
      throw error
    }
    if (response.status === 204) return undefined as R
    const text = await response.text()
    return (text ? JSON.parse(text) : undefined) as R
  }

  const get = <R>(path: string, query?: Query) => request<R>('GET', path, { query })
  const post = <R>(path: string, body?: unknown) => request<R>('POST', path, { body })
  const id = (value: string) => ({ id: value })

  /** In Bearer mode, keeps the token of a session the answer started. */
  function keep<R extends object>(answer: R): R {
    const token = 'session' in answer ? (answer.session as { token?: string }).token : undefined
    if (store && token) store.set(token)
    return answer
  }

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
      signUp: async (body: T.SignUpBody) =>
        keep(await post<T.SessionResponse>(P.auth.signUp, body)),
      signIn: async (body: T.SignInBody) => {
        const answer = keep(await post<T.SignInResponse>(P.auth.signIn, body))
        if (setupDue(answer)) announceSetupRequired()
        return answer
      },
      verifyTwoFactor: async (body: T.TwoFactorSignInBody) =>
        keep(await post<T.TwoFactorSignInResponse>(P.auth.signInTwoFactor, body)),
      sendEmailCode: (body: T.EmailCodeBody) => post<T.EmailCodeSent>(P.auth.signInEmailCode, body),
      /**
       * WebAuthn options for answering a sign-in challenge with a passkey (its `methods` include
       * `passkey`); send the assertion with `verifyTwoFactor({ challengeToken, method: 'passkey',
       * credential })`.
       */
      passkeyOptions: (body: T.PasskeyOptionsBody) =>
        post<T.PasskeyAuthenticationOptions>(P.auth.signInPasskeyOptions, body),
      signOut: async () => {
        try {
          await post<void>(P.auth.signOut)
        } finally {
          store?.set(null)
        }
      },
      getSession: () => get<T.CurrentSessionResponse>(P.auth.session),
      /**
       * Changes the signed-in user's password (204). The API signs out every other session and
       * forgets every trusted device; a wrong `currentPassword` is 401 `INVALID_CREDENTIALS`.
       */
      changePassword: (body: T.PasswordChangeBody) => post<void>(P.auth.password, body),
    },
    twoFactor: {
      getStatus: () => get<T.TwoFactorStatus>(P.twoFactor.status),
      startSetup: () => post<T.SetupResponse>(P.twoFactor.setup),
      verifySetup: (body: T.CodeBody) => post<T.EnabledResponse>(P.twoFactor.setupVerify, body),
      /** Turns 2FA off; without a body, the session must be within a step-up window. */
      disable: (body?: T.CodeBody) => post<T.DisabledResponse>(P.twoFactor.disable, body),
      listBackupCodes: () => get<T.BackupCodeList>(P.twoFactor.backupCodes),
      /** New backup codes; without a body, the session must be within a step-up window. */
      regenerateBackupCodes: (body?: T.CodeBody) =>
        post<T.BackupCodesResponse>(P.twoFactor.backupCodes, body),
      listTrustedDevices: () => get<T.TrustedDeviceList>(P.twoFactor.trustedDevices),
      revokeTrustedDevice: (deviceId: string) =>
        request<void>('DELETE', apiPath(P.twoFactor.trustedDevice, id(deviceId))),
      revokeAllTrustedDevices: () => request<void>('DELETE', P.twoFactor.trustedDevices),
      listEvents: () => get<T.EventList>(P.twoFactor.events),
      listAuthenticators: () => get<T.AuthenticatorList>(P.twoFactor.authenticators),
      /** A pending authenticator app (2FA must be on); confirm it with `verifyAuthenticator`. */
      addAuthenticator: (body: T.AddAuthenticatorBody) =>
        post<T.PendingAuthenticator>(P.twoFactor.authenticators, body),
      verifyAuthenticator: (authenticatorId: string, body: T.CodeBody) =>
        post<T.AuthenticatorResponse>(
          apiPath(P.twoFactor.authenticatorVerify, id(authenticatorId)),
          body,
        ),
      renameAuthenticator: (authenticatorId: string, body: T.RenameAuthenticatorBody) =>
        request<T.AuthenticatorResponse>(
          'PATCH',
          apiPath(P.twoFactor.authenticator, id(authenticatorId)),
          { body },
        ),
      /** 204; 403 `STEP_UP_REQUIRED` outside a step-up window, 409 `LAST_AUTHENTICATOR`. */
      removeAuthenticator: (authenticatorId: string) =>
        request<void>('DELETE', apiPath(P.twoFactor.authenticator, id(authenticatorId))),
      /** WebAuthn creation options for a new passkey (the user's passkeys excluded). */
      passkeyOptions: () => post<T.PasskeyRegistrationOptions>(P.twoFactor.passkeyOptions),
      registerPasskey: (body: T.PasskeyRegistrationBody) =>
        post<T.PasskeyRegistered>(P.twoFactor.passkeys, body),
      /** Marks the session as recently verified (10 minutes) with a code or a passkey. */
      stepUp: (body: T.StepUpBody) => post<T.StepUpResponse>(P.twoFactor.stepUp, body),
      stepUpPasskeyOptions: () => post<T.PasskeyAuthenticationOptions>(P.twoFactor.stepUpPasskey),
    },
    admin: {
      listUsers: (query: T.AdminUsersQuery = {}) => get<T.AdminUserList>(P.admin.users, query),
      setRole: (userId: string, body: T.RoleBody) =>
        request<T.User>('PATCH', apiPath(P.admin.user, id(userId)), { body }),
      resetTwoFactor: (userId: string, body: T.ResetBody = {}) =>
        post<T.UserResponse>(apiPath(P.admin.userReset, id(userId)), body),
      unlockUser: (userId: string) => post<T.UserResponse>(apiPath(P.admin.userUnlock, id(userId))),
      getPolicy: () => get<T.Policy>(P.admin.policy),
      updatePolicy: (body: T.PolicyBody) => request<T.Policy>('PUT', P.admin.policy, { body }),
      getStats: () => get<T.Stats>(P.admin.stats),
      getDailyStats: (query: T.DailyStatsQuery = {}) =>
        get<T.DailyStats>(P.admin.dailyStats, query),
      listAudit: (query: T.AuditQuery = {}) => get<T.AuditList>(P.admin.audit, query),
      listOutbox: () => get<T.OutboxList>(P.admin.outbox),
    },
  }
}

export type TwoFactorClient = ReturnType<typeof createTwoFactorClient>
