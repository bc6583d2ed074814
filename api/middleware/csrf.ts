import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'
import { HttpError } from '../lib/errors'
import { ownOrigins } from '../lib/request-meta'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses unsafe requests that a browser sent from another site, unless the request was
 * authenticated by a Bearer token (which a cross-site page cannot attach on its own). Runs after
 * `loadSession`: what counts is how the session was found, not whether an Authorization header
 * was sent (a malformed one falls back to the cookie, and is checked like any cookie request).
 * Same-origin requests (the own origin as the browser sees it, see `ownOrigins`) and the
 * origins in `trustedOrigins` pass; clients that send no Origin (curl, servers) pass.
 */
export const csrfProtection = () =>
  createMiddleware<AppEnv>(async function csrfProtection(c, next) {
    if (SAFE.has(c.req.method) || c.var.auth?.via === 'bearer') return next()
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    const trusted =
      origin !== undefined &&
      (ownOrigins(c).includes(origin) || c.var.deps.trustedOrigins.includes(origin))
    const crossSite = origin !== undefined ? !trusted : site === 'cross-site'
    if (crossSite) throw new HttpError(403, 'CSRF_FAILED')
    await next()
  })
