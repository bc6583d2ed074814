import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { swaggerUI } from '@hono/swagger-ui'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { DEFAULT_LIMITS, type AppEnv, type Deps, type LimitOptions } from './context'
import type { Db } from './db/client'
import { createKeyRing } from './lib/crypto'
import { ApiError } from './lib/errors'
import { outboxMailer, type Mailer } from './lib/mailer'
import { json } from './lib/openapi'
import { trustedCors } from './middleware/cors'
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
  /** Other origins that use this API: they get CORS answers (with credentials) and pass the CSRF check. @default [] */
  trustedOrigins?: string[]
  /** Read the client IP and scheme from X-Forwarded-For/-Proto. @default false */
  trustProxy?: boolean
}

export const BODY_LIMIT_BYTES = 16 * 1024

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
  app.use('/api/*', trustedCors())
  app.use('/api/*', bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: () => new ApiError(413, 'PAYLOAD_TOO_LARGE').toResponse() }))
  app.use('/api/*', csrfProtection())
  app.use('/api/*', loadSession())

  const routes = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/health',
        tags: ['Meta'],
        summary: 'Liveness',
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
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Twofold API', version: '0.1.0', description: 'Two-factor authentication: accounts, TOTP, backup codes, trusted devices, administration.' },
  })
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }))
  return Object.assign(routes, { deps })
}

export type AppType = ReturnType<typeof createApp>
