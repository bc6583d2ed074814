import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { DEFAULT_LIMITS, type AppEnv, type Deps, type LimitOptions } from './context'
import type { Db } from './db/client'
import { createKeyRing } from './lib/crypto'
import { ApiError } from './lib/errors'
import { outboxMailer, type Mailer } from './lib/mailer'
import { docsHeaders, docsPage } from './lib/api-docs'
import { json, publicSecurity } from './lib/openapi'
import { apiHeaders } from './lib/security-headers'
import { csrfProtection } from './middleware/csrf'
import { loadSession } from './middleware/session'
import { adminRoutes } from './routes/admin/admin.routes'
import { authRoutes } from './routes/auth/auth.routes'
import { twoFactorRoutes } from './routes/two-factor/two-factor.routes'

export interface CreateAppOptions {
  /** A migrated database (libSQL or D1). */
  db: Db
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
  /** Other origins allowed to make cookie-authenticated unsafe requests. @default [] */
  trustedOrigins?: string[]
  /** Read the client IP and scheme from X-Forwarded-For/-Proto. @default false */
  trustProxy?: boolean
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
  { name: 'Accounts and sign-in', description: 'Sign-up, sign-in and its second step, the session' },
  { name: 'Own second factor', description: 'TOTP, backup codes, devices, events (signed in)' },
  { name: 'Administration', description: 'Users, policy, statistics, audit log (role admin)' },
]

function onError(err: Error): Response {
  if (err instanceof ApiError) return err.toResponse()
  if (err instanceof HTTPException) {
    const status = err.status
    if (status === 415) return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE').toResponse()
    if (status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE').toResponse()
    if (status === 400) {
      return new ApiError(400, 'VALIDATION_FAILED', { issues: [{ path: [], message: 'The request body is not valid JSON.' }] }).toResponse()
    }
    if (status < 500) return new ApiError(status, 'VALIDATION_FAILED', { message: err.message }).toResponse()
  }
  console.error('[twofold] unexpected error:', err instanceof Error ? err.stack : err)
  return new ApiError(500, 'INTERNAL_ERROR').toResponse()
}

export function createApp(options: CreateAppOptions) {
  const deps: Deps = {
    db: options.db,
    keys: createKeyRing(options.secret, options.previousSecrets),
    issuer: options.issuer ?? 'Twofold',
    now: options.now ?? Date.now,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    mailer: options.mailer ?? outboxMailer(options.db),
    trustedOrigins: options.trustedOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    pending: new Set(),
  }

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(400, 'VALIDATION_FAILED', {
          issues: result.error.issues.map((i) => ({
            path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            message: i.message,
            code: i.code,
          })),
        })
      }
    },
  })
  app.onError(onError)
  app.notFound(() => new ApiError(404, 'NOT_FOUND').toResponse())
  app.use('*', async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  const forApi = apiHeaders()
  const forDocs = docsHeaders()
  app.use('/api/*', (c, next) => (c.req.path === DOCS_PATH ? forDocs(c, next) : forApi(c, next)))
  app.use('/api/*', bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: () => new ApiError(413, 'PAYLOAD_TOO_LARGE').toResponse() }))
  app.use('/api/*', csrfProtection())
  app.use('/api/*', loadSession())

  const routes = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/health',
        operationId: 'health',
        tags: ['Meta'],
        summary: 'Liveness',
        security: publicSecurity,
        responses: { 200: json(z.object({ ok: z.literal(true) }), 'Alive') },
      }),
      (c) => c.json({ ok: true as const }, 200),
    )
    .route('/api/auth', authRoutes)
    .route('/api/two-factor', twoFactorRoutes)
    .route('/api/admin', adminRoutes)

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'twofold_session',
  })
  app.doc31(SPEC_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Twofold API',
      version: '0.1.0',
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
  return Object.assign(routes, { deps })
}

export type AppType = ReturnType<typeof createApp>
