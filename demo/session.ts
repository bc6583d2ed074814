import { useCallback, useEffect, useState } from 'react'
import { isApiError, type TwoFactorClient, type User } from 'twofold/react'

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }

/**
 * Who is signed in. The API keeps the session in an HttpOnly cookie, so the page never sees the
 * token: it asks `GET /api/auth/session` on load and trusts the answers of sign-in and sign-up.
 */
export function useSession(client: TwoFactorClient) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })

  const load = useCallback(async () => {
    setState({ status: 'loading' })
    try {
      const { user } = await client.auth.getSession()
      setState({ status: 'signed-in', user })
    } catch (error) {
      const signedOut = isApiError(error) && error.status === 401
      setState(signedOut ? { status: 'signed-out' } : { status: 'error', error })
    }
  }, [client])

  useEffect(() => {
    void load()
  }, [load])

  const signedIn = useCallback((user: User) => setState({ status: 'signed-in', user }), [])

  const signOut = useCallback(async () => {
    try {
      await client.auth.signOut()
    } catch {
      // The session may already be gone (expired, or revoked by an admin): signed out either way.
    }
    setState({ status: 'signed-out' })
  }, [client])

  return { state, reload: load, signedIn, signOut }
}
