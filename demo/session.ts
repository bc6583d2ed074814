import { useCallback, useEffect, useState } from 'react'
import { isApiError, type TwoFactorClient, type User } from 'twofold/react'

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }

/**
 * localStorage key saying "a session may exist": set when this browser signs in or up, removed
 * on sign-out and when the server says there is none. Without it the page does not ask
 * `GET /api/auth/session`, whose 401 every browser logs as a console error. It is a hint, never
 * a credential: the session itself stays in the HttpOnly cookie, and the server decides.
 */
export const SESSION_HINT = 'twofold:session-hint'

/** Reads, sets or clears the hint; where storage is blocked, it is treated as present. */
function sessionHint(change?: 'set' | 'clear'): boolean {
  try {
    if (change === 'set') localStorage.setItem(SESSION_HINT, '1')
    if (change === 'clear') localStorage.removeItem(SESSION_HINT)
    return localStorage.getItem(SESSION_HINT) !== null
  } catch {
    return true
  }
}

/**
 * Who is signed in. The API keeps the session in an HttpOnly cookie, so the page never sees the
 * token: it asks `GET /api/auth/session` on load (only when this browser signed in before, see
 * {@link SESSION_HINT}) and trusts the answers of sign-in and sign-up.
 */
export function useSession(client: TwoFactorClient) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })

  const load = useCallback(async () => {
    if (!sessionHint()) return setState({ status: 'signed-out' })
    setState({ status: 'loading' })
    try {
      const { user } = await client.auth.getSession()
      setState({ status: 'signed-in', user })
    } catch (error) {
      const signedOut = isApiError(error) && error.status === 401
      if (signedOut) sessionHint('clear')
      setState(signedOut ? { status: 'signed-out' } : { status: 'error', error })
    }
  }, [client])

  useEffect(() => {
    void load()
  }, [load])

  const signedIn = useCallback((user: User) => {
    sessionHint('set')
    setState({ status: 'signed-in', user })
  }, [])

  const signOut = useCallback(async () => {
    sessionHint('clear')
    try {
      await client.auth.signOut()
    } catch {
      // The session may already be gone (expired, or revoked by an admin): signed out either way.
    }
    setState({ status: 'signed-out' })
  }, [client])

  return { state, reload: load, signedIn, signOut }
}
