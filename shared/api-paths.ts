/**
 * Every path of the Twofold HTTP contract, spelled once. The kit's client, its tests, the MSW
 * handlers, the API's bad-input table and the policy fence read them from here. `:name` marks a
 * parameter (the syntax of Hono and MSW); {@link apiPath} fills it in.
 * No imports: `twofold/react` bundles it.
 */
export const API_PATHS = {
  auth: {
    signUp: '/api/auth/sign-up',
    signIn: '/api/auth/sign-in',
    signInTwoFactor: '/api/auth/sign-in/two-factor',
    signInEmailCode: '/api/auth/sign-in/two-factor/email',
    signInPasskeyOptions: '/api/auth/sign-in/two-factor/passkey',
    signOut: '/api/auth/sign-out',
    session: '/api/auth/session',
    password: '/api/auth/password',
  },
  twoFactor: {
    status: '/api/two-factor',
    setup: '/api/two-factor/setup',
    setupVerify: '/api/two-factor/setup/verify',
    disable: '/api/two-factor/disable',
    backupCodes: '/api/two-factor/backup-codes',
    trustedDevices: '/api/two-factor/trusted-devices',
    trustedDevice: '/api/two-factor/trusted-devices/:id',
    events: '/api/two-factor/events',
    passkeys: '/api/two-factor/passkeys',
    passkeyOptions: '/api/two-factor/passkeys/options',
    authenticators: '/api/two-factor/authenticators',
    authenticator: '/api/two-factor/authenticators/:id',
    authenticatorVerify: '/api/two-factor/authenticators/:id/verify',
    stepUp: '/api/two-factor/step-up',
    stepUpPasskey: '/api/two-factor/step-up/passkey',
  },
  admin: {
    users: '/api/admin/users',
    user: '/api/admin/users/:id',
    userReset: '/api/admin/users/:id/two-factor/reset',
    userUnlock: '/api/admin/users/:id/unlock',
    policy: '/api/admin/policy',
    stats: '/api/admin/stats',
    dailyStats: '/api/admin/stats/daily',
    audit: '/api/admin/audit',
    outbox: '/api/admin/outbox',
  },
} as const

/** The prefix every route of a group shares: `/api/auth`, `/api/two-factor`, `/api/admin`. */
export const API_PREFIXES = {
  auth: '/api/auth',
  twoFactor: '/api/two-factor',
  admin: '/api/admin',
} as const

/** A path with its `:name` parameters filled in, each URL-encoded. */
export function apiPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`apiPath: no value for :${name} in ${pattern}`)
    return encodeURIComponent(value)
  })
}
