/**
 * The reference line's server process: better-auth with its twoFactor plugin, on an embedded
 * libSQL file through Kysely (`@libsql/kysely-libsql` over the project's own `@libsql/client`,
 * so the engine and its pragmas are Twofold's), served by Hono on `@hono/node-server` like
 * Twofold's. The parent drives it over IPC, as it drives test/bench/server.ts.
 *
 * The first pending sign-ins are made the way a user makes them: sign-up, TOTP enrolment
 * (`/two-factor/enable`, then `/two-factor/verify-totp` with the session), sign-in with email and
 * password (`{ twoFactorRedirect: true }` and the signed two-factor cookie). Those rows are the
 * templates that `seed` copies, with fresh ids, emails, TOTP secrets (encrypted by better-auth's
 * own `symmetricEncrypt`) and two-factor identifiers, so thousands of pending sign-ins cost no
 * scrypt each; `signIn` makes more of them through the real password step.
 */
import { serve } from '@hono/node-server'
import { createClient, type Client, type InArgs } from '@libsql/client'
import { LibsqlDialect } from '@libsql/kysely-libsql'
import { betterAuth } from 'better-auth'
import { generateRandomString, symmetricEncrypt } from 'better-auth/crypto'
import { getMigrations } from 'better-auth/db/migration'
import { twoFactor } from 'better-auth/plugins'
import { Hono } from 'hono'
import { createHmac } from 'node:crypto'
import { answerParent, freePort } from './child'
import { secretFromBase32, totpCode } from './reference-totp'

export type ReferenceCommand =
  | { cmd: 'seed'; args: { n: number } }
  | { cmd: 'signIn'; args: { n: number } }
  | { cmd: 'cpu' }
  | { cmd: 'exit' }

/** One pending sign-in: the cookie the password step set, and the user's TOTP key. */
export interface PendingSignIn {
  cookie: string
  secret: string
  email: string
}

export const PASSWORD = 'correct horse battery'

/** Counts what reaches the database, as test/bench/server.ts does for Twofold. */
function countStatements(client: Client) {
  const counts = { statements: 0, roundTrips: 0, commits: 0 }
  const writes = /^\s*(insert|update|delete|replace)\b/i
  const sqlOf = (s: any) => (typeof s === 'string' ? s : s.sql)
  const execute = client.execute.bind(client)
  const batch = client.batch.bind(client)
  const transaction = client.transaction.bind(client)
  client.execute = ((stmt: any, args?: any) => {
    counts.statements++
    counts.roundTrips++
    if (writes.test(sqlOf(stmt))) counts.commits++
    return execute(stmt, args)
  }) as Client['execute']
  client.batch = ((stmts: any[], mode?: any) => {
    counts.statements += stmts.length
    counts.roundTrips++
    if (stmts.some((s) => writes.test(sqlOf(s)))) counts.commits++
    return batch(stmts, mode)
  }) as Client['batch']
  // better-auth runs without transactions on this adapter (the default); counted if it ever opens one.
  client.transaction = (async (mode?: any) => {
    const tx = await transaction(mode)
    const txExecute = tx.execute.bind(tx)
    const commit = tx.commit.bind(tx)
    tx.execute = ((stmt: any) => {
      counts.statements++
      counts.roundTrips++
      return txExecute(stmt)
    }) as typeof tx.execute
    tx.commit = () => {
      counts.roundTrips++
      counts.commits++
      return commit()
    }
    return tx
  }) as Client['transaction']
  return { counts, uncounted: execute }
}

async function main() {
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const client = createClient({ url: `file:${process.env.BENCH_DB}` })
  // Twofold's pragmas (api/db/libsql.ts): WAL, a busy timeout, foreign keys; synchronous stays FULL.
  await client.execute('PRAGMA journal_mode = WAL')
  await client.execute('PRAGMA busy_timeout = 5000')
  await client.execute('PRAGMA foreign_keys = ON')
  const secret = process.env.BETTER_AUTH_SECRET!
  const options = {
    baseURL,
    secret,
    // better-auth's documented libSQL setup: a Kysely dialect and its type.
    database: { dialect: new LibsqlDialect({ client }), type: 'sqlite' as const },
    emailAndPassword: { enabled: true },
    plugins: [twoFactor()],
    // Its per-IP limiter (3 requests per 10 s on /two-factor/*) would refuse a load generator on
    // one address; Twofold's limits are per challenge and per account, in the database.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: true },
  }
  const { runMigrations } = await getMigrations(options)
  await runMigrations()
  const auth = betterAuth(options)
  const context = await auth.$context

  const app = new Hono()
  app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw))
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
  const { counts, uncounted } = countStatements(client)
  /** Sessions in the database: every timed 200 must have made one (read outside the counts). */
  const sessions = async () =>
    Number((await uncounted('SELECT count(*) AS n FROM session')).rows[0]!.n)

  /** A request straight to the handler (setup only): status, JSON body and the cookies set. */
  async function call(path: string, body: unknown, cookie?: string) {
    const res = await auth.handler(
      new Request(`${baseURL}/api/auth${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: baseURL,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      }),
    )
    const cookies = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .filter((c) => !c.endsWith('='))
    const json = (await res.json().catch(() => null)) as any
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
    return { json, cookie: cookies.join('; '), cookies }
  }

  // The template user, made through the real endpoints.
  const email = `template.${Date.now()}@example.org`
  const signUp = await call('/sign-up/email', { email, password: PASSWORD, name: 'Bench User' })
  const enabled = await call('/two-factor/enable', { password: PASSWORD }, signUp.cookie)
  const key = new URL(enabled.json.totpURI as string).searchParams.get('secret')!
  const templateSecret = secretFromBase32(key)
  await call(
    '/two-factor/verify-totp',
    { code: await totpCode(templateSecret, Date.now()) },
    signUp.cookie,
  )
  const signedIn = await call('/sign-in/email', { email, password: PASSWORD })
  if (signedIn.json?.twoFactorRedirect !== true)
    throw new Error(`sign-in did not ask for a second factor: ${JSON.stringify(signedIn.json)}`)
  const twoFactorCookie = signedIn.cookies.find((c) => c.includes('two_factor='))
  if (!twoFactorCookie) throw new Error(`no two-factor cookie in ${signedIn.cookie}`)
  const [cookieName, cookieValue] = twoFactorCookie.split('=') as [string, string]
  const identifier = decodeURIComponent(cookieValue).split('.')[0]!
  // Our signing must give the very cookie better-auth set (better-call's signed cookie).
  const sign = (value: string) =>
    `${cookieName}=${encodeURIComponent(`${value}.${createHmac('sha256', secret).update(value).digest('base64')}`)}`
  if (sign(identifier) !== twoFactorCookie)
    throw new Error(`cookie signing differs: ${sign(identifier)} vs ${twoFactorCookie}`)

  const one = async (sql: string, args: InArgs) => (await client.execute({ sql, args })).rows[0]!
  const templates = {
    user: await one('SELECT * FROM "user" WHERE email = ?', [email]),
    account: await one(
      'SELECT * FROM account WHERE userId = (SELECT id FROM "user" WHERE email = ?)',
      [email],
    ),
    twoFactor: await one(
      'SELECT * FROM twoFactor WHERE userId = (SELECT id FROM "user" WHERE email = ?)',
      [email],
    ),
    pending: await one('SELECT * FROM verification WHERE identifier = ?', [identifier]),
    attempts: await one('SELECT * FROM verification WHERE identifier = ?', [
      `2fa-attempts-${identifier}`,
    ]),
  }
  if (templates.user.twoFactorEnabled !== 1 || templates.twoFactor.verified !== 1)
    throw new Error('the template user does not have two-factor enabled')
  // Dates as better-auth stores them on this adapter, so copies read back the same.
  const dateLike = (template: unknown, ms: number) =>
    typeof template === 'number' ? ms : new Date(ms).toISOString()

  async function insertRows(table: string, rows: Record<string, unknown>[]) {
    if (!rows.length) return
    const columns = Object.keys(rows[0]!)
    const chunk = Math.floor(30_000 / columns.length)
    const statements = []
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk)
      const tuple = `(${columns.map(() => '?').join(', ')})`
      statements.push({
        sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${part.map(() => tuple).join(', ')}`,
        args: part.flatMap((r) => columns.map((c) => r[c])) as InArgs,
      })
    }
    await client.batch(statements, 'write')
  }

  let serial = 0
  /** `n` enrolled users, each with a pending two-factor sign-in, copied from the templates. */
  async function seed(n: number) {
    const now = Date.now()
    const rows = { user: [], account: [], twoFactor: [], verification: [] } as Record<
      string,
      Record<string, unknown>[]
    >
    const out: PendingSignIn[] = []
    for (let i = 0; i < n; i++) {
      const userId = generateRandomString(32)
      const userEmail = `bench${++serial}.${now.toString(36)}@example.org`
      const totpSecret = generateRandomString(32)
      const pendingId = `2fa-${generateRandomString(20)}`
      const expiresAt = now + 600_000
      const t = templates
      rows.user!.push({ ...t.user, id: userId, email: userEmail })
      rows.account!.push({ ...t.account, id: generateRandomString(32), accountId: userId, userId })
      rows.twoFactor!.push({
        ...t.twoFactor,
        id: generateRandomString(32),
        userId,
        secret: await symmetricEncrypt({ key: context.secretConfig, data: totpSecret }),
      })
      for (const [template, ident, value] of [
        [t.pending, pendingId, userId],
        [t.attempts, `2fa-attempts-${pendingId}`, '0'],
      ] as const) {
        rows.verification!.push({
          ...template,
          id: generateRandomString(32),
          identifier: ident,
          value,
          expiresAt: dateLike(template.expiresAt, expiresAt),
          createdAt: dateLike(template.createdAt, now),
          updatedAt: dateLike(template.updatedAt, now),
        })
      }
      out.push({ cookie: sign(pendingId), secret: totpSecret, email: userEmail })
    }
    for (const table of ['user', 'account', 'twoFactor', 'verification']) {
      await insertRows(table, rows[table]!)
    }
    return out
  }

  /** `n` seeded users signed in through the real password step (scrypt), for the first requests. */
  async function signIn(n: number) {
    const users = await seed(n)
    return Promise.all(
      users.map(async (u) => {
        const res = await call('/sign-in/email', { email: u.email, password: PASSWORD })
        if (res.json?.twoFactorRedirect !== true) throw new Error('no second factor asked')
        const cookie = res.cookies.find((c) => c.startsWith(`${cookieName}=`))!
        return { ...u, cookie }
      }),
    )
  }

  answerParent<ReferenceCommand>(
    port,
    async (message) => {
      switch (message.cmd) {
        case 'seed':
          return await seed(message.args.n)
        case 'signIn':
          return await signIn(message.args.n)
        case 'cpu': {
          const cpu = process.cpuUsage()
          return { cpu, ...counts, pending: 0, sessions: await sessions() }
        }
      }
    },
    () => {
      server.close()
      client.close()
    },
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
