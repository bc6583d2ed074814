import { useEffect, type MouseEvent, type ReactNode } from 'react'
import { Button, type User } from 'twofold/react'
import type { Route } from './routing'

export interface LayoutProps {
  /** The page shown, for `aria-current` in the navigation. */
  current: Route | null
  user: User | null
  onSignOut: () => void
  children: ReactNode
}

function NavLink({
  to,
  current,
  children,
}: {
  to: Route
  current: Route | null
  children: ReactNode
}) {
  return (
    <li>
      <a href={`#/${to}`} aria-current={to === current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  )
}

/** Moves focus to the main landmark: the skip link must not change the hash the routes live in. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault()
  document.getElementById('main')?.focus()
}

/** Banner with navigation and the signed-in user, the main landmark, and a footer. */
export function Layout({ current, user, onSignOut, children }: LayoutProps) {
  return (
    <div className="demo-shell">
      <a className="demo-skip" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="demo-header">
        <a className="demo-brand" href={user ? '#/account' : '#/sign-in'}>
          <span aria-hidden="true">◆◆ </span>Twofold <span className="demo-tag">demo</span>
        </a>
        <nav aria-label="Main">
          <ul>
            {user ? (
              <>
                <NavLink to="account" current={current}>
                  Account security
                </NavLink>
                {user.role === 'admin' && (
                  <NavLink to="admin" current={current}>
                    Administration
                  </NavLink>
                )}
              </>
            ) : (
              <>
                <NavLink to="sign-in" current={current}>
                  Sign in
                </NavLink>
                <NavLink to="sign-up" current={current}>
                  Create account
                </NavLink>
              </>
            )}
          </ul>
        </nav>
        {user && (
          <div className="demo-user">
            <span className="demo-user-email" title={user.email}>
              {user.email}
            </span>
            <Button onClick={onSignOut}>Sign out</Button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1} aria-labelledby="page-title">
        {children}
      </main>
      <footer className="demo-footer">
        <p>
          A demo of the Twofold React kit on the Twofold API. API reference:{' '}
          <a href="/api/docs">/api/docs</a>.
        </p>
      </footer>
    </div>
  )
}

export interface PageProps {
  title: string
  intro?: ReactNode
  /** Wider content, for tables. */
  wide?: boolean
  children?: ReactNode
}

/** One page: its `h1` labels the main landmark and names the document. */
export function Page({ title, intro, wide, children }: PageProps) {
  useEffect(() => {
    document.title = `${title} · Twofold demo`
  }, [title])
  return (
    <div className={wide ? 'demo-page demo-page-wide' : 'demo-page'}>
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {intro && <p className="demo-intro">{intro}</p>}
      {children}
    </div>
  )
}
