import { useEffect, useRef } from 'react'
import {
  Button,
  TwoFactorProvider,
  createTwoFactorClient,
  useTwoFactor,
  type User,
} from 'twofold/react'
import { AccountPage } from './account-page'
import { AdminPage, NotAllowedPage } from './admin-page'
import { SignInPage, SignUpPage } from './auth-pages'
import { Layout, Page } from './layout'
import { navigate, useHashRoute, type Route } from './routing'
import { useSession } from './session'

// Same origin as the API: the session and trusted-device cookies go along by themselves.
const client = createTwoFactorClient()

export function App() {
  return (
    <TwoFactorProvider client={client}>
      <Demo />
    </TwoFactorProvider>
  )
}

/** The page a route shows to a visitor in a given state, and where to redirect otherwise. */
function resolve(route: Route | null, user: User | null): Route {
  if (!user) return route === 'sign-up' ? 'sign-up' : 'sign-in'
  if (route === 'admin') return 'admin'
  return 'account'
}

function Demo() {
  const { errorMessage } = useTwoFactor()
  const session = useSession(client)
  const route = useHashRoute()
  const { state } = session
  const user = state.status === 'signed-in' ? state.user : null
  const page = resolve(route, user)
  /** Where a signed-out visitor was going, to go on there after signing in. */
  const wanted = useRef<Route | null>(null)

  useEffect(() => {
    if (state.status !== 'signed-in' && state.status !== 'signed-out') return
    if (!user && (route === 'account' || route === 'admin')) wanted.current = route
    if (route !== page) navigate(page, { replace: true })
  }, [state.status, user, route, page])

  // Each new page moves focus to its heading, so screen readers announce it (not on first load).
  const shown = useRef<Route | null>(null)
  useEffect(() => {
    if (state.status !== 'signed-in' && state.status !== 'signed-out') return
    if (shown.current !== null && shown.current !== page) {
      document.getElementById('page-title')?.focus()
    }
    shown.current = page
  }, [state.status, page])

  const signedIn = (next: User) => {
    session.signedIn(next)
    navigate(wanted.current === 'admin' && next.role === 'admin' ? 'admin' : 'account')
    wanted.current = null
  }

  const signOut = async () => {
    await session.signOut()
    navigate('sign-in')
  }

  let content
  if (state.status === 'loading') {
    content = (
      <Page title="Loading…">
        <p role="status" data-slot="loading">
          Checking your session…
        </p>
      </Page>
    )
  } else if (state.status === 'error') {
    content = (
      <Page title="Something went wrong">
        <div role="alert" data-slot="notice" data-tone="error" className="demo-notice">
          {errorMessage(state.error)}{' '}
          <Button onClick={() => void session.reload()}>Try again</Button>
        </div>
      </Page>
    )
  } else if (!user) {
    content =
      page === 'sign-up' ? (
        <SignUpPage onSignedUp={signedIn} />
      ) : (
        <SignInPage onSignedIn={signedIn} />
      )
  } else if (page === 'admin') {
    content = user.role === 'admin' ? <AdminPage /> : <NotAllowedPage />
  } else {
    content = <AccountPage key={user.id} user={user} />
  }

  return (
    <Layout
      current={user || state.status === 'signed-out' ? page : null}
      user={user}
      onSignOut={() => void signOut()}
    >
      {content}
    </Layout>
  )
}
