import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { DEFAULT_LIMITS, type AppEnv, type Deps, type LimitOptions } from './context'
import type { Db } from './db/client'
import { createKeyRing } from './lib/crypto'
import { HttpError, renderError } from './lib/errors'
import { createBackground } from './lib/background'
import { outboxMailer, type Mailer } from './lib/mailer'
import { docsHeaders, docsPage } from './lib/api-docs'
import { apiHeaders } from './lib/security-headers'
import { trustedCors } from './middleware/cors'
import { csrfProtection } from './middleware/csrf'
import { loadSession } from './middleware/session'
import { adminUserRoutes } from './routes/admin-users.routes'
import { auditRoutes } from './routes/admin-audit.routes'
import { outboxRoutes } from './routes/admin-outbox.routes'
import { policyRoutes } from './routes/admin-policy.routes'
import { statsRoutes } from './routes/admin-stats.routes'
import { passwordRoutes } from './routes/auth-password.routes'
import { sessionRoutes } from './routes/auth-session.routes'
import { signInRoutes } from './routes/auth-sign-in.routes'
import { signUpRoutes } from './routes/auth-sign-up.routes'
import { healthRoutes } from './routes/health.routes'
import { backupCodeRoutes } from './routes/two-factor-backup-codes.routes'
import { ownEventRoutes } from './routes/two-factor-events.routes'
import { trustedDeviceRoutes } from './routes/two-factor-trusted-devices.routes'
import { twoFactorRoutes } from './routes/two-factor.routes'
import { authenticatorRoutes } from './routes/two-factor-authenticators.routes'
import { passkeyRoutes } from './routes/two-factor-passkeys.routes'

export interface CreateAppOptions {
  /**
   * A migrated database (libSQL or D1), or a function that opens one for each request: remote
   * libSQL in a Worker, where nothing that one request can resolve may be shared with another.
   */
  db: Db | (() => Db)
  /** TWOFOLD_SECRET: base64, 32 bytes. Encryption and hashing keys are derived from it. */
  secret: string
  /** Retired secrets still accepted for decrypting TOTP secrets. @default [] */
  previousSecrets?: string[]
  /** Shown in authenticator apps. @default 'Twofold' */
  issuer?: string
  /** Clock in milliseconds, for tests. @default Date.now */
  now?: () => number
  /** Attempt limits and lifetimes. @default DEFAULT_LIMITS */
  limits?: Partial<LimitOptions>
  /** Where notifications go. @default the outbox table */
  mailer?: Mailer
  /**
   * Other origins that use this API: they get CORS answers (with credentials) and pass the CSRF
   * check. @default []
   */
  trustedOrigins?: string[]
  /**
   * Behind a proxy you control: the client IP is the rightmost X-Forwarded-For entry, the scheme
   * and host come from X-Forwarded-Proto/-Host. @default false
   */
  trustProxy?: boolean
  /**
   * TWOFOLD_PUBLIC_ORIGIN: the origin users see (`https://auth.example.com`) when a proxy
   * terminates TLS; the own origin for CSRF, and https here means `__Host-` Secure cookies.
   * @default the request's own origin (with trustProxy, from X-Forwarded-Proto/-Host)
   */
  publicOrigin?: string
  /**
   * TWOFOLD_RP_ID: the WebAuthn relying-party id, a registrable domain such as `example.com`
   * that the site's host name ends with. Passkeys are bound to it: changing it (moving domains)
   * invalidates every registered passkey. @default the host name of the public origin
   */
  rpId?: string
  /**
   * Where the app runs. Only on `'workers'` is `CF-Connecting-IP` (set by Cloudflare) the
   * client IP; on `'node'` it is the socket's address, whatever the client sends.
   * @default 'node'
   */
  runtime?: 'node' | 'workers'
}

/** `https://auth.example.com/` → `https://auth.example.com`; throws unless an http(s) origin. */
function parseOrigin(value: string): string {
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`publicOrigin must be an http(s) origin: ${value}`)
  return url.origin
}

export const BODY_LIMIT_BYTES = 16 * 1024
const SPEC_PATH = '/api/openapi.json'
const DOCS_PATH = '/api/docs'
const DESCRIPTION = `Two-factor authentication: accounts, TOTP, backup codes, trusted devices,
administration.

- JSON in, JSON out. A body that is not \`application/json\` gets 415, one over 16 KiB gets 413.
- Every error is \`{ error: { code, message, issues?, retryAfter?, attemptsRemaining? } }\`; a 429
  also has the \`Retry-After\` header. Each operation lists the statuses it can answer with.
- A session is \`Authorization: Bearer <token>\` or the session cookie that sign-in sets. Unsafe
  requests a browser sends from another origin get 403 \`CSRF_FAILED\`.
- With the right password, a valid trusted-device cookie signs its user in without a challenge
  even while their second factor is locked after wrong codes (deliberate: the device proved the
  factor before; the password limit still applies).
- Past the policy's setup deadline, a session without a second factor gets 403
  \`TWO_FACTOR_SETUP_REQUIRED\` outside sign-in and setup, checked before the role: a fenced
  non-administrator gets it on administrators' routes, not \`FORBIDDEN\`.
- Every answer is \`Cache-Control: no-store\`.`

const TAGS = [
  { name: 'Meta', description: 'Liveness' },
  {
    name: 'Accounts and sign-in',
    description: 'Sign-up, sign-in and its second step, the session',
  },
  { name: 'Own second factor', description: 'TOTP, backup codes, devices, events (signed in)' },
  { name: 'Administration', description: 'Users, policy, statistics, audit log (role admin)' },
]

/** Turns a request that fails its schema into 400 `VALIDATION_FAILED` with the issues. */
export const validationHook = (result: { success: boolean; error?: unknown }) => {
  if (result.success) return
  const { issues } = result.error as {
    issues: { path: PropertyKey[]; message: string; code: string }[]
  }
  throw new HttpError(400, 'VALIDATION_FAILED', {
    issues: issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
      code: i.code,
    })),
  })
}

/**
 * What differs between the standalone service and embedded mode: where the paths start, who the
 * user is, and the routes under `<prefix>/auth` (accounts and sign-in).
 */
export interface AppStrategy {
  /** `'/api'` standalone; `''` embedded, where the host mounts the app (under `/api`). */
  prefix: '' | '/api'
  /** Sets `c.var.auth`: from Twofold's session, or from the host's user. */
  identify: MiddlewareHandler<AppEnv>
  /** Mounts the account and sign-in routes, under `<prefix>/auth`. */
  mountAuth: (app: OpenAPIHono<AppEnv>, base: string) => void
  /** Serves `/health` (standalone only). @default false */
  health?: boolean
}

/**
 * The shared builder: dependencies, the middleware every API path gets, the strategy's account
 * routes, then the second factor and administration routes, which both modes serve alike.
 */
export function buildApp(options: CreateAppOptions, strategy: AppStrategy) {
  const openDb = typeof options.db === 'function' ? options.db : undefined
  // With a database per request, this app-wide handle serves no request (only tests and tools).
  const appDb = typeof options.db === 'function' ? options.db() : options.db
  const background = createBackground()
  const deps: Deps = {
    db: appDb,
    keys: createKeyRing(options.secret, options.previousSecrets),
    issuer: options.issuer ?? 'Twofold',
    now: options.now ?? Date.now,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    mailer: options.mailer ?? outboxMailer(appDb),
    trustedOrigins: options.trustedOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    publicOrigin: options.publicOrigin ? parseOrigin(options.publicOrigin) : null,
    rpId: options.rpId ?? null,
    runtime: options.runtime ?? 'node',
    runInBackground: (task) => background.run(task),
  }
  /**
   * The dependencies of one request: background work kept alive by its `waitUntil` (Workers),
   * and its own database handle when there is one per request.
   */
  const depsForRequest = (c: Context): Deps => {
    const waitUntil = waitUntilOf(c)
    const runInBackground = waitUntil
      ? (task: () => Promise<unknown>) => background.run(task, waitUntil)
      : deps.runInBackground
    if (!openDb) return waitUntil ? { ...deps, runInBackground } : deps
    const db = openDb()
    return { ...deps, db, mailer: options.mailer ?? outboxMailer(db), runInBackground }
  }

  const { prefix } = strategy
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.onError(renderError)
  app.notFound(() => new HttpError(404, 'NOT_FOUND').toResponse())
  // Standalone: everything under /api. Embedded: only Twofold's own groups, so that the host's
  // routes beside the mounted app (say /api/orders) get none of this.
  const scopes = prefix ? [`${prefix}/*`] : ['/auth/*', '/two-factor/*', '/admin/*']
  const use = (handler: MiddlewareHandler<AppEnv>) => {
    for (const scope of scopes) app.use(scope, handler)
  }
  const setDeps: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('deps', depsForRequest(c))
    await next()
  }
  if (prefix) app.use('*', setDeps)
  else use(setDeps)
  const forApi = apiHeaders()
  const forDocs = docsHeaders()
  use((c, next) => (c.req.path === DOCS_PATH ? forDocs(c, next) : forApi(c, next)))
  use(trustedCors())
  use(limitBody())
  // CSRF is decided by how the request was authenticated, so the user is identified first.
  use(strategy.identify)
  use(csrfProtection())

  // Every endpoint, in the order of the OpenAPI document; each file serves the paths it names.
  if (strategy.health) app.route(`${prefix}/health`, healthRoutes)
  strategy.mountAuth(app, `${prefix}/auth`)
  app
    .route(`${prefix}/two-factor`, twoFactorRoutes)
    .route(`${prefix}/two-factor`, backupCodeRoutes)
    .route(`${prefix}/two-factor`, authenticatorRoutes)
    .route(`${prefix}/two-factor`, passkeyRoutes)
    .route(`${prefix}/two-factor`, trustedDeviceRoutes)
    .route(`${prefix}/two-factor`, ownEventRoutes)
    .route(`${prefix}/admin`, adminUserRoutes)
    .route(`${prefix}/admin`, policyRoutes)
    .route(`${prefix}/admin`, statsRoutes)
    .route(`${prefix}/admin`, auditRoutes)
    .route(`${prefix}/admin`, outboxRoutes)
  /**
   * `background`: mail still being sent. Workers keep it alive with `waitUntil`; on Node nothing
   * does, so a host awaits `background.settled()` before reading the outbox or exiting.
   */
  return Object.assign(app, { deps, background, depsForRequest })
}

/** The standalone service: Twofold's own accounts and sessions, and the OpenAPI document. */
export function createApp(options: CreateAppOptions) {
  const app = buildApp(options, {
    prefix: '/api',
    identify: loadSession(),
    health: true,
    mountAuth: (api, base) =>
      api
        .route(base, signUpRoutes)
        .route(base, signInRoutes)
        .route(base, passwordRoutes)
        .route(base, sessionRoutes),
  })

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'twofold_session',
    description:
      'Set by sign-in and sign-up. On https it is named `__Host-twofold_session` ' +
      '(Secure, Path=/, no Domain).',
  })
  app.doc31(SPEC_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Twofold API',
      version: '0.2.0',
      description: DESCRIPTION,
    },
    // Relative: the server that serves this document (paths already start with /api).
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: TAGS,
  })
  app.get(DOCS_PATH, (c) => {
    c.header('Cache-Control', 'no-store')
    return docsPage(c, SPEC_PATH)
  })
  return app
}

/**
 * The request's `waitUntil` on Workers; undefined on Node, which has no execution context. Served
 * by @hono/node-server (its `env` carries the `incoming` message) the answer is known without
 * asking: Hono's `c.executionCtx` throws when there is none, building an Error and its stack.
 */
function waitUntilOf(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  if (c.env && typeof c.env === 'object' && 'incoming' in c.env) return undefined
  try {
    const ctx = c.executionCtx
    return (promise) => ctx.waitUntil(promise)
  } catch {
    return undefined
  }
}

/**
 * Bodies over BODY_LIMIT_BYTES get 413. A declared Content-Length is checked without touching the
 * body (Node's and workerd's HTTP parsers never deliver more than it says): looking at
 * `c.req.raw.body`, as hono/body-limit does first, makes @hono/node-server build a full Request
 * and stream for every request. A body without a declared length (chunked) is counted as it is
 * read, by hono/body-limit; GET and HEAD carry none.
 */
function limitBody(): MiddlewareHandler {
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE').toResponse()
  const counted = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: tooLarge })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length !== undefined && /^\d+$/.test(length) && !c.req.header('transfer-encoding')) {
      return Number(length) > BODY_LIMIT_BYTES ? tooLarge() : next()
    }
    return counted(c, next)
  }
}

export type AppType = ReturnType<typeof createApp>
