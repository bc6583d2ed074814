/**
 * Embedded mode: Twofold's second factor, self-service and administration inside a Hono app that
 * keeps its own users, passwords and sessions (shared/embedding.md). The same services and
 * routers as the standalone service, built by `buildApp` with another strategy: the user is
 * whoever the host's `getUser` says, and passing the challenge ends in the host's `onSignIn`
 * instead of a Twofold session.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { JSONValue } from 'hono/utils/types'
import { buildApp, validationHook, type CreateAppOptions } from './app'
import type { AppEnv, Ctx, Deps } from './context'
import { DEVICE_COOKIE, readCookie, setTokenCookie } from './lib/cookies'
import { HttpError } from './lib/errors'
import { BODY, errors, json, jsonBody, publicSecurity } from './lib/openapi'
import { requestMeta, webauthnSite } from './lib/request-meta'
import { Method, TwoFactorSignInBody, User, type MethodName } from './schemas'
import { beginHostSignIn, setupOverdue, type SignInStep } from './services/host-sign-in.service'
import { noteSignIn, seeHostUser, type HostUser } from './services/host-users.service'
import { passChallenge } from './services/sign-in.service'
import { isSteppedUp } from './services/step-up.service'
import { signInRoutes } from './routes/auth-sign-in.routes'

export type { HostUser } from './services/host-users.service'
export type { SignInStep } from './services/host-sign-in.service'

/** The user `onSignIn` gets: the one who just passed the second factor. */
export interface SignedInUser {
  id: string
  email: string
  name: string | null
  role: 'user' | 'admin'
}

export interface CreateTwoFactorOptions<Session = unknown> extends CreateAppOptions {
  /**
   * The host's signed-in user for this request, from the host's own session; null if none. It
   * decides every self-service route and, with `role: 'admin'`, the administration routes.
   */
  getUser: (c: Context) => HostUser | null | undefined | Promise<HostUser | null | undefined>
  /**
   * Called once a second factor passed: the host creates its own session here (cookies it sets
   * on `c` reach the browser). What it returns (JSON-serialisable) is the answer's `session`.
   */
  onSignIn: (
    c: Context,
    user: SignedInUser,
    info: { method: MethodName },
  ) => Session | Promise<Session>
}

/** The paths under `/auth` that belong to the host: 404 here. */
const HOST_OWNED = ['/sign-up', '/sign-in', '/sign-out', '/session', '/password']

/**
 * A view of the host's context for Twofold's helpers (cookies, client IP), which read their
 * settings from `c.var.deps`: the host's own variables are left as they are.
 */
function withDeps(c: Context, deps: Deps): Ctx {
  return {
    req: c.req,
    env: c.env,
    var: { ...c.var, deps, auth: null },
    header: c.header.bind(c),
  } as unknown as Ctx
}

export function createTwoFactor<Session = unknown>(options: CreateTwoFactorOptions<Session>) {
  const { getUser, onSignIn } = options

  /** The host's user, as a Twofold user (their row seen, created or brought up to date). */
  const userOf = async (c: Context, deps: Deps) => {
    const host = await getUser(c)
    return host ? seeHostUser(deps, host) : null
  }

  const identify = createMiddleware<AppEnv>(async (c, next) => {
    const user = await userOf(c, c.var.deps)
    // The host's session stands in for Twofold's: no token of its own, checked like a cookie.
    c.set('auth', user && { user, sessionId: '', token: '', expiresAt: 0, via: 'cookie' })
    await next()
  })

  const challengeRoute = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
    createRoute({
      method: 'post',
      path: '/sign-in/two-factor',
      security: publicSecurity,
      request: { body: jsonBody(TwoFactorSignInBody) },
      responses: {
        200: json(
          z.object({
            status: z.literal('authenticated'),
            user: User,
            session: z.unknown(),
            method: Method,
            backupCodesRemaining: z.number().int().optional(),
          }),
          'Signed in: `session` is what the host’s onSignIn returned',
        ),
        ...errors(...BODY, 'INVALID_CODE', 'INVALID_CHALLENGE', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const { deps } = c.var
      const input = c.req.valid('json')
      const result = await passChallenge(deps, requestMeta(c), input, {
        issueSession: false,
        site: webauthnSite(c),
      })
      if (result.device) setTokenCookie(c, DEVICE_COOKIE, result.device)
      const { id, email, name, role } = result.answer.user
      await noteSignIn(deps, id)
      const session = await onSignIn(c, { id, email, name, role }, { method: result.answer.method })
      // Whatever the host returned; JSON-serialisable by contract with the host.
      return c.json({ ...result.answer, session: (session ?? null) as JSONValue }, 200)
    },
  )

  const app = buildApp(options, {
    prefix: '',
    identify,
    mountAuth: (api, base) => {
      const hostOwned = () => new HttpError(404, 'NOT_FOUND').toResponse()
      for (const path of HOST_OWNED) api.all(`${base}${path}`, hostOwned)
      // The challenge ends in the host's onSignIn; the emailed code is the standalone route.
      api.route(base, challengeRoute).route(base, signInRoutes)
    },
  })

  /**
   * The first step, in the host's password sign-in route once the password is right: the
   * contract's sign-in answer, without a session (the host makes its own when `authenticated`).
   * A trusted device skips the challenge (its cookie is rotated on `c`).
   */
  async function beginSignIn(c: Context, user: HostUser): Promise<SignInStep> {
    const deps = app.depsForRequest(c)
    const ctx = withDeps(c, deps)
    const seen = await seeHostUser(deps, user)
    const device = readCookie(ctx, DEVICE_COOKIE)
    const result = await beginHostSignIn(deps, requestMeta(ctx), seen, device)
    if (result.device) setTokenCookie(ctx, DEVICE_COOKIE, result.device)
    return result.answer
  }

  /**
   * Middleware for the host's own routes: 403 `TWO_FACTOR_SETUP_REQUIRED` when the policy asks
   * the signed-in user for a second factor, they have none and the grace period is over.
   * Requests without a host user pass (the host decides who may come in).
   */
  const requireSetup = (): MiddlewareHandler =>
    createMiddleware(async (c, next) => {
      const deps = app.depsForRequest(c)
      const user = await userOf(c, deps)
      if (user && (await setupOverdue(deps, user)))
        return new HttpError(403, 'TWO_FACTOR_SETUP_REQUIRED').toResponse()
      await next()
    })

  /**
   * Middleware for the host's sensitive routes: 401 without a host user, 403 `STEP_UP_REQUIRED`
   * unless the user stepped up (POST /api/two-factor/step-up) within the last 10 minutes. In
   * embedded mode the window belongs to the host's user (Twofold has no session of its own).
   */
  const requireStepUp = (): MiddlewareHandler =>
    createMiddleware(async (c, next) => {
      const deps = app.depsForRequest(c)
      const user = await userOf(c, deps)
      if (!user) return new HttpError(401, 'UNAUTHORIZED').toResponse()
      const auth = { user, sessionId: '', token: '', expiresAt: 0, via: 'cookie' as const }
      if (!(await isSteppedUp(deps, auth))) {
        return new HttpError(403, 'STEP_UP_REQUIRED').toResponse()
      }
      await next()
    })

  return {
    /** The contract's paths without `/api` (mount it under `/api`). */
    routes: app,
    beginSignIn,
    requireSetup,
    requireStepUp,
    /** Mail still being sent (Node): await `background.settled()` before exiting. */
    background: app.background,
  }
}

export type TwoFactor = ReturnType<typeof createTwoFactor>
