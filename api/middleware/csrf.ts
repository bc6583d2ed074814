import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'
import { ApiError } from '../lib/errors'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses unsafe requests that a browser sent from another site, unless they authenticate with
 * a Bearer token (which a cross-site page cannot attach on its own). Same-origin requests and
 * the origins in `trustedOrigins` pass; clients that send no Origin (curl, servers) pass.
 */
export const csrfProtection = () =>
  createMiddleware<AppEnv>(async function csrfProtection(c, next) {
    if (SAFE.has(c.req.method) || /^Bearer\s/i.test(c.req.header('authorization') ?? '')) {
      return next()
    }
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    const own = new URL(c.req.url).origin
    const trusted = origin === own || (origin !== undefined && c.var.deps.trustedOrigins.includes(origin))
    const crossSite = origin !== undefined ? !trusted : site === 'cross-site'
    if (crossSite) throw new ApiError(403, 'CSRF_FAILED')
    await next()
  })
