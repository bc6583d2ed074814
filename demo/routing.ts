import { useSyncExternalStore } from 'react'

/** The demo's pages, addressed as `#/sign-in`, `#/account`, …: no router needed. */
export const ROUTES = ['sign-in', 'sign-up', 'account', 'admin'] as const
export type Route = (typeof ROUTES)[number]

export function parseRoute(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '')
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The route in the address bar, or null when the hash names no page. */
export function useHashRoute(): Route | null {
  const hash = useSyncExternalStore(subscribe, () => location.hash)
  return parseRoute(hash)
}

/** Goes to a page; `replace` swaps the history entry instead of adding one (redirects). */
export function navigate(route: Route, { replace = false } = {}) {
  const hash = `#/${route}`
  if (location.hash === hash) return
  if (replace) {
    history.replaceState(history.state, '', hash)
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  } else {
    location.hash = hash
  }
}
