/**
 * `twofold/server`: the standalone service as a Hono app, embedded mode for an app that has its
 * own users (`createTwoFactor`), and the migrations that make Twofold's tables. Usable on Node
 * and Workers; `migrate` needs a file system (Node).
 *
 * ```ts
 * import { createClient } from '@libsql/client'
 * import { createApp, migrate } from 'twofold/server'
 *
 * const db = createClient({ url: 'file:./twofold.db' })
 * await migrate(db)
 * const app = createApp({ db, secret: process.env.TWOFOLD_SECRET!, issuer: 'Acme' })
 * ```
 */
import type { D1Database } from '@cloudflare/workers-types'
import type { Client } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql/web'
import { createApp as createBaseApp, type CreateAppOptions as BaseOptions } from './app'
import {
  createTwoFactor as createBaseTwoFactor,
  type CreateTwoFactorOptions as BaseTwoFactorOptions,
} from './embedded'
import { schema, type Db } from './db/client'
import { openD1 } from './db/d1'

export type { LimitOptions } from './context'
export { DEFAULT_LIMITS } from './context'
export type { HttpMailerOptions, MailMessage, Mailer } from './lib/mailer'
export { httpMailer } from './lib/mailer'
export { generateServerSecret } from './lib/crypto'
export { purgeExpired, startPurgeTimer, type PurgeOptions } from './services/purge.service'
export { ERROR_CODES, type ErrorBody, type ErrorCode } from './lib/errors'
/** 403 STEP_UP_REQUIRED without a step-up in the last 10 minutes (routes on `createApp`'s app). */
export { requireStepUp } from './middleware/step-up'

/** A Cloudflare D1 binding (`env.DB`), typed structurally so no Workers types are needed. */
export interface D1Binding {
  prepare(query: string): unknown
  batch(statements: unknown[]): Promise<unknown>
  exec(query: string): Promise<unknown>
}

/** What `createApp` takes: a libSQL client, a D1 binding, or a Drizzle database. */
export type Database = Client | D1Binding | Db

export interface CreateAppOptions extends Omit<BaseOptions, 'db'> {
  /**
   * A migrated database: a libSQL `Client` (`@libsql/client`), a D1 binding or a Drizzle db; or
   * a function that opens one per request (a remote libSQL client in a Worker must not be
   * shared across requests: workerd cancels what another request's context resolves).
   */
  db: Database | (() => Database)
}

const isDrizzle = (db: Database): db is Db => typeof (db as Db).select === 'function'
const isLibsql = (db: Database): db is Client => typeof (db as Client).execute === 'function'

/** The shared Drizzle handle over whichever database was given. */
function toDb(db: Database): Db {
  if (isDrizzle(db)) return db
  if (isLibsql(db)) return drizzle(db, { schema }) as unknown as Db
  return openD1(db as unknown as D1Database)
}

/**
 * The standalone service: accounts, sessions, two-factor, administration and the OpenAPI
 * document, under `/api`. Serve `app.fetch` with `@hono/node-server` or export it from a Worker.
 */
export function createApp(options: CreateAppOptions) {
  const { db } = options
  return createBaseApp({ ...options, db: typeof db === 'function' ? () => toDb(db()) : toDb(db) })
}

export type TwofoldApp = ReturnType<typeof createApp>

export type { HostUser, SignedInUser, SignInStep } from './embedded'
export type { MethodName } from './schemas'

export interface CreateTwoFactorOptions<Session = unknown> extends Omit<
  BaseTwoFactorOptions<Session>,
  'db'
> {
  /** The host's database: its libSQL `Client`, its D1 binding (or a function opening one). */
  db: Database | (() => Database)
}

/**
 * Embedded mode: Twofold's second factor in a Hono app that keeps its own users and sessions.
 * `routes` serves the contract's paths without `/api` (mount it there); `beginSignIn` is the
 * first step in the host's password route; `requireSetup()` fences the host's own routes.
 *
 * ```ts
 * const twoFactor = createTwoFactor({ db, secret, issuer: 'Acme', getUser, onSignIn })
 * app.route('/api', twoFactor.routes)
 * ```
 */
export function createTwoFactor<Session = unknown>(options: CreateTwoFactorOptions<Session>) {
  const { db } = options
  return createBaseTwoFactor<Session>({
    ...options,
    db: typeof db === 'function' ? () => toDb(db()) : toDb(db),
  })
}

export type TwoFactor = ReturnType<typeof createTwoFactor>

/**
 * The migrations shipped with the package (`node_modules/twofold/drizzle`); undefined where the
 * module has no URL of its own (bundled into a Worker, which migrates with wrangler instead).
 */
export const MIGRATIONS_URL: URL | undefined = (() => {
  try {
    return new URL('../drizzle/', import.meta.url)
  } catch {
    return undefined
  }
})()

/**
 * Applies the shipped migrations (`drizzle/`) to a libSQL client or a Drizzle libSQL database;
 * already applied ones are skipped, so it is safe on every start. Node only (reads the files).
 * They are recorded in `twofold_migrations`; a database migrated by Twofold 0.1 or earlier
 * (bookkeeping in `__drizzle_migrations`) has its records carried over first.
 * On D1, apply them with `wrangler d1 migrations apply` (`migrations_dir` =
 * `node_modules/twofold/drizzle`).
 */
export async function migrate(db: Client | Db): Promise<void> {
  const [{ applyMigrations }, { fileURLToPath }] = await Promise.all([
    import('./db/migrate'),
    import('node:url'),
  ])
  const database = isDrizzle(db) ? db : (drizzle(db, { schema }) as unknown as Db)
  await database.run(sql`PRAGMA foreign_keys = ON`)
  if (!MIGRATIONS_URL) throw new Error('migrate needs the package files: run it on Node')
  await applyMigrations(database, fileURLToPath(MIGRATIONS_URL))
}
