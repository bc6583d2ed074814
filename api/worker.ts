/**
 * Worker entry: the app on the D1 binding `DB`, or on remote libSQL (Turso) when DATABASE_URL
 * is set. Migrations are applied by the operator (`wrangler d1 migrations apply`,
 * `drizzle-kit migrate`), never per request.
 */
import type { D1Database } from '@cloudflare/workers-types'
import type { ExecutionContext } from 'hono'
import { createApp } from './app'
import { openD1 } from './db/d1'
import { openRemoteLibsql } from './db/remote'
import { appOptionsFromEnv, readEnv } from './env'
import type { Db } from './db/client'
import { HttpError } from './lib/errors'
import { describeError } from './lib/log'
import { purgeExpired } from './services/purge.service'

/** Bindings: the D1 database, plus the contract's configuration as vars and secrets. */
export interface WorkerEnv {
  DB?: D1Database
  DATABASE_URL?: string
  DATABASE_AUTH_TOKEN?: string
  TWOFOLD_SECRET?: string
  TWOFOLD_PREVIOUS_SECRETS?: string
  TWOFOLD_ISSUER?: string
  TWOFOLD_MAILER_URL?: string
  TWOFOLD_MAILER_TOKEN?: string
  TWOFOLD_TRUSTED_ORIGINS?: string
  TWOFOLD_TRUST_PROXY?: string
  TWOFOLD_PUBLIC_ORIGIN?: string
  TWOFOLD_RP_ID?: string
  TWOFOLD_RETENTION_DAYS?: string
}

export type WorkerApp = ReturnType<typeof createApp>

/**
 * D1 is a binding every request may use. Remote libSQL gets a client per request: a client's
 * concurrency queue is released by whichever request finishes a statement, and workerd cancels
 * a promise resolved from another request's context, so a shared client hangs under bursts.
 */
function openDatabase(
  bindings: WorkerEnv,
  url: string | undefined,
  authToken?: string,
): Db | (() => Db) {
  if (url) return () => openRemoteLibsql({ url, authToken })
  if (bindings.DB) return openD1(bindings.DB)
  throw new Error('No database: bind a D1 database as DB, or set DATABASE_URL.')
}

/** The bindings that are strings (vars and secrets): the configuration `readEnv` checks. */
const stringBindings = (bindings: WorkerEnv) =>
  Object.fromEntries(
    Object.entries(bindings).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )

/** Builds the app from the bindings; throws a readable message when configuration is wrong. */
export function buildWorkerApp(bindings: WorkerEnv): WorkerApp {
  const strings = stringBindings(bindings)
  const env = readEnv(strings)
  if (!env.TWOFOLD_SECRET) {
    throw new Error('TWOFOLD_SECRET is not set: `wrangler secret put TWOFOLD_SECRET`, or .dev.vars')
  }
  // readEnv defaults DATABASE_URL to a local file, which means nothing here: only an explicit
  // URL selects remote libSQL.
  const db = openDatabase(bindings, strings.DATABASE_URL, env.DATABASE_AUTH_TOKEN)
  return createApp({
    db,
    secret: env.TWOFOLD_SECRET,
    ...appOptionsFromEnv(env),
    // Cloudflare sets CF-Connecting-IP on every request that reaches a Worker.
    runtime: 'workers',
  })
}

// One app per isolate: the env object is stable for an isolate's life, and keys are derived
// once per app.
const apps = new WeakMap<WorkerEnv, WorkerApp>()

function appFor(bindings: WorkerEnv): WorkerApp {
  let app = apps.get(bindings)
  if (!app) apps.set(bindings, (app = buildWorkerApp(bindings)))
  return app
}

/** The Cron Trigger (wrangler.toml): purges what has expired, on a database of its own. */
export async function purgeFromWorker(bindings: WorkerEnv, now: number): Promise<void> {
  const strings = stringBindings(bindings)
  const env = readEnv(strings)
  const opened = openDatabase(bindings, strings.DATABASE_URL, env.DATABASE_AUTH_TOKEN)
  const db = typeof opened === 'function' ? opened() : opened
  await purgeExpired(db, now, { retentionDays: env.TWOFOLD_RETENTION_DAYS })
}

export default {
  async scheduled(controller: { scheduledTime: number }, env: WorkerEnv, ctx: ExecutionContext) {
    ctx.waitUntil(
      purgeFromWorker(env, Date.now()).then(
        () => {
          const at = new Date(controller.scheduledTime).toISOString()
          console.log(`[twofold] purged expired rows (cron of ${at})`)
        },
        (error) => console.error('[twofold] purge failed:', describeError(error)),
      ),
    )
  },
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: WorkerApp
    try {
      app = appFor(env)
    } catch (error) {
      console.error('[twofold] cannot start:', error instanceof Error ? error.message : error)
      return new HttpError(500, 'INTERNAL_ERROR').toResponse()
    }
    return app.fetch(request, env, ctx)
  },
}
