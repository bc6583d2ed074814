import { createMiddleware } from 'hono/factory'
import { API_PATHS, API_PREFIXES } from '../../shared/api-paths'
import type { AppEnv, Auth, Ctx } from '../context'
import { readCookie, SESSION_COOKIE } from '../lib/cookies'
import { HttpError } from '../lib/errors'
import { sessionSecurity } from '../lib/openapi'
import { getPolicy, requirementFor } from '../services/policy.service'
import { findSession } from '../services/sessions.service'
import { twoFactorEnabledAt } from '../services/users.service'

/** The live session behind a Bearer token or, without one, the session cookie. */
async function sessionOf(c: Ctx): Promise<Auth | null> {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const token = bearer ?? readCookie(c, SESSION_COOKIE)
  if (!token) return null
  return findSession(c.var.deps, token, bearer ? 'bearer' : 'cookie')
}

/** Loads the session behind a Bearer token or the session cookie, if any, into `c.var.auth`. */
export const loadSession = () =>
  createMiddleware<AppEnv>(async function loadSession(c, next) {
    c.set('auth', await sessionOf(c))
    await next()
  })

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`)

/**
 * What a session fenced by the enforcement policy may still reach: signing in and out, reading
 * its own status (so the UI knows to offer setup), and enrolling an app or a passkey.
 */
const fenceExempt = (method: string, path: string) =>
  path.startsWith(`${API_PREFIXES.auth}/`) ||
  ((method === 'GET' || method === 'HEAD') && path === API_PATHS.twoFactor.status) ||
  under(path, API_PATHS.twoFactor.setup) ||
  under(path, API_PATHS.twoFactor.passkeys)

async function checkFence(c: Ctx, auth: Auth) {
  if (fenceExempt(c.req.method, c.req.path)) return
  const { required, deadline } = requirementFor(await getPolicy(c.var.deps), auth.user)
  if (!required || deadline === null || c.var.deps.now() <= deadline) return
  if ((await twoFactorEnabledAt(c.var.deps, auth.user.id)) !== null) return
  throw new HttpError(403, 'TWO_FACTOR_SETUP_REQUIRED')
}

/** 401 without a live session; 403 when the policy's setup deadline has passed. */
export const requireSession = () =>
  createMiddleware<AppEnv>(async function requireSession(c, next) {
    const auth = c.var.auth
    if (!auth) throw new HttpError(401, 'UNAUTHORIZED')
    await checkFence(c, auth)
    await next()
  })

/** Administrators only: 401 without a session, 403 for everyone else. */
export const requireAdmin = () =>
  createMiddleware<AppEnv>(async function requireAdmin(c, next) {
    const auth = c.var.auth
    if (!auth) throw new HttpError(401, 'UNAUTHORIZED')
    await checkFence(c, auth)
    if (auth.user.role !== 'admin') throw new HttpError(403, 'FORBIDDEN')
    await next()
  })

/** The OpenAPI route fields of an operation on one's own second factor: a session, declared. */
export const ownSecondFactorRoute = () => ({
  tags: ['Own second factor'],
  middleware: [requireSession()],
  security: sessionSecurity,
})

/** The OpenAPI route fields of an administration operation: an admin's session, declared. */
export const administrationRoute = () => ({
  tags: ['Administration'],
  middleware: [requireAdmin()],
  security: sessionSecurity,
})

/** The signed-in user; only call behind requireSession. */
export const authOf = (c: Ctx): Auth => {
  if (!c.var.auth) throw new HttpError(401, 'UNAUTHORIZED')
  return c.var.auth
}
