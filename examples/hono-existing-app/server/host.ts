/**
 * An app that already has users: its own `users` and `sessions` tables, a password login and a
 * session cookie. Twofold is added with `createTwoFactor`: the second factor after the password,
 * self-service and administration under `/api`, and `requireSetup()` on the app's own pages.
 * Runs on Node (a libSQL client) and in a Worker (a D1 binding): the few SQL statements of the
 * app itself go through `hostSql`, the only place that tells the two apart.
 */
import type { Client } from '@libsql/client'
import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createTwoFactor, type D1Binding, type HostUser } from 'twofold/server'

/** The app's own tables. Twofold's are all named twofold_* (`migrate(db)` or wrangler). */
export const HOST_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
  )`,
]

type Row = Record<string, unknown>
interface HostSql {
  all(query: string, ...args: (string | number)[]): Promise<Row[]>
  run(query: string, ...args: (string | number)[]): Promise<void>
}

const isLibsql = (db: Client | D1Binding): db is Client =>
  typeof (db as Client).execute === 'function'

/** The app's own statements, on libSQL or D1. */
export function hostSql(db: Client | D1Binding): HostSql {
  if (isLibsql(db))
    return {
      all: async (sql, ...args) => (await db.execute({ sql, args })).rows as unknown as Row[],
      run: async (sql, ...args) => void (await db.execute({ sql, args })),
    }
  type D1Statement = { bind(...args: unknown[]): { all(): Promise<{ results: Row[] }> } }
  const prepare = (sql: string) => db.prepare(sql) as D1Statement
  return {
    all: async (sql, ...args) =>
      (
        await prepare(sql)
          .bind(...args)
          .all()
      ).results,
    run: async (sql, ...args) =>
      void (await prepare(sql)
        .bind(...args)
        .all()),
  }
}

const text = new TextEncoder()
const hex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')

/** PBKDF2-SHA256 (Web Crypto: Node and Workers); `salt:hash` in hex. */
export async function hashPassword(
  password: string,
  salt = hex(crypto.getRandomValues(new Uint8Array(16))),
) {
  const key = await crypto.subtle.importKey('raw', text.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: text.encode(salt), iterations: 100_000 }
  return `${salt}:${hex(await crypto.subtle.deriveBits(params, key, 256))}`
}

async function checkPassword(password: string, stored: string) {
  const [salt] = stored.split(':')
  const candidate = await hashPassword(password, salt)
  // Constant-time comparison of two equal-length hex strings.
  let diff = candidate.length ^ stored.length
  for (let i = 0; i < Math.min(candidate.length, stored.length); i++)
    diff |= candidate.charCodeAt(i) ^ stored.charCodeAt(i)
  return diff === 0
}

export interface HostOptions {
  /** The app's database (libSQL client or D1 binding), migrated by `migrate(db)` or wrangler. */
  db: Client | D1Binding
  /** TWOFOLD_SECRET (base64, 32 bytes). */
  secret: string
  issuer?: string
  runtime?: 'node' | 'workers'
  /** Twofold's clock, for tests. @default Date.now */
  now?: () => number
}

const SESSION_COOKIE = 'app_session'
const SESSION_DAYS = 7

interface HostUserRow {
  id: number
  email: string
  name: string | null
  password_hash: string
  is_admin: number
}

/** The app's user as Twofold wants to know them. */
const forTwofold = (row: HostUserRow): HostUser => ({
  id: String(row.id),
  email: row.email,
  name: row.name,
  role: row.is_admin ? 'admin' : 'user',
})

export function createHostApp(options: HostOptions) {
  const sql = hostSql(options.db)

  /** The user behind the app's own session cookie. */
  async function sessionUser(c: Context): Promise<HostUserRow | null> {
    const id = getCookie(c, SESSION_COOKIE)
    if (!id) return null
    const [row] = await sql.all(
      `SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.id = ? AND sessions.expires_at > ?`,
      id,
      Date.now(),
    )
    return (row as unknown as HostUserRow) ?? null
  }

  /** The app's own session: a row and an HttpOnly cookie. */
  async function createSession(c: Context, userId: number | string) {
    const id = hex(crypto.getRandomValues(new Uint8Array(32)))
    const expiresAt = Date.now() + SESSION_DAYS * 86_400_000
    await sql.run(
      'INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)',
      id,
      Number(userId),
      expiresAt,
    )
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      expires: new Date(expiresAt),
    })
    return { expiresAt: new Date(expiresAt).toISOString() }
  }

  const twoFactor = createTwoFactor({
    db: options.db,
    secret: options.secret,
    issuer: options.issuer ?? 'Existing App',
    runtime: options.runtime,
    now: options.now,
    getUser: async (c) => {
      const me = await sessionUser(c)
      return me && forTwofold(me)
    },
    // The second factor passed: the app signs the user in its own way.
    onSignIn: (c, user) => createSession(c, user.id),
  })

  const app = new Hono()
  app.route('/api', twoFactor.routes)

  app.post('/login', async (c) => {
    const body = await c.req.json().catch(() => null)
    const email = typeof body?.email === 'string' ? body.email : ''
    const password = typeof body?.password === 'string' ? body.password : ''
    const [row] = (await sql.all(
      'SELECT * FROM users WHERE email = ?',
      email,
    )) as unknown as HostUserRow[]
    if (!row || !(await checkPassword(password, row.password_hash)))
      return c.json(
        { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } },
        401,
      )
    const step = await twoFactor.beginSignIn(c, forTwofold(row))
    if (step.status === 'two_factor_required') return c.json(step)
    await createSession(c, row.id)
    return c.json(step)
  })

  app.post('/logout', async (c) => {
    const id = getCookie(c, SESSION_COOKIE)
    if (id) await sql.run('DELETE FROM sessions WHERE id = ?', id)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.json({ ok: true })
  })

  app.get('/me', async (c) => {
    const me = await sessionUser(c)
    if (!me) return c.json({ user: null })
    return c.json({ user: forTwofold(me) })
  })

  // One of the app's own pages, fenced once the policy's grace period is over.
  app.get('/dashboard', twoFactor.requireSetup(), async (c) => {
    const me = await sessionUser(c)
    if (!me) return c.json({ error: { code: 'UNAUTHORIZED', message: 'Sign in first.' } }, 401)
    return c.json({ hello: me.name ?? me.email })
  })

  return Object.assign(app, { twoFactor })
}

/** Creates the app's tables and, when empty, two accounts: an admin and a user. */
export async function seedHost(db: Client | D1Binding, password = 'correct horse battery') {
  const sql = hostSql(db)
  for (const statement of HOST_SCHEMA) await sql.run(statement)
  const [{ n }] = (await sql.all('SELECT count(*) AS n FROM users')) as { n: number }[]
  if (Number(n) > 0) return
  const add = async (email: string, name: string, admin: number) =>
    sql.run(
      'INSERT INTO users (email, name, password_hash, is_admin) VALUES (?, ?, ?, ?)',
      email,
      name,
      await hashPassword(password),
      admin,
    )
  await add('ada@example.com', 'Ada Lovelace', 1)
  await add('bob@example.com', 'Bob Builder', 0)
}
