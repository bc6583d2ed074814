/**
 * A host app that installs the packed tarball (with hono and @libsql/client, nothing from this
 * repository) and adds Twofold to its own users and sessions: `migrate(db)` beside its tables,
 * `createTwoFactor` from `twofold/server`, the embedded flow over HTTP (`app.request`).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ROOT } from './pack'

const tarball = inject('tarball')
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const PACKAGES = [
  `hono@${manifest.devDependencies.hono}`,
  `@libsql/client@${manifest.dependencies['@libsql/client']}`,
]

let app: string

function run(command: string, args: string[]) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
    )
    const child = spawn(command, args, { cwd: app, env: { ...env, NO_COLOR: '1' } })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (status) => resolve({ status, output: output.trim() }))
  })
}

/** The host: its own users and sessions, a password login, Twofold embedded. */
const HOST = `
import { createClient } from '@libsql/client'
import { Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { generate } from 'otplib'
import { createTwoFactor, generateServerSecret, migrate } from 'twofold/server'

const db = createClient({ url: 'file:host.db' })
await db.executeMultiple(\`
  CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, password TEXT NOT NULL, admin INTEGER NOT NULL);
  CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
  INSERT INTO users VALUES (1, 'ada@example.com', 'pw-ada', 1), (2, 'bob@example.com', 'pw-bob', 0);
\`)
const usersBefore = JSON.stringify((await db.execute('SELECT * FROM users')).rows)
await migrate(db)

const toTwofold = (row) => ({ id: String(row.id), email: row.email, role: row.admin ? 'admin' : 'user' })
async function hostUser(c) {
  const sid = getCookie(c, 'sid')
  if (!sid) return null
  const { rows } = await db.execute({
    sql: 'SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = ?',
    args: [sid],
  })
  return rows[0] ?? null
}
async function hostSession(c, userId) {
  const sid = crypto.randomUUID()
  await db.execute({ sql: 'INSERT INTO sessions VALUES (?, ?)', args: [sid, Number(userId)] })
  setCookie(c, 'sid', sid, { httpOnly: true, path: '/' })
  return { id: 'host-session' }
}

const twoFactor = createTwoFactor({
  db,
  secret: generateServerSecret(),
  issuer: 'Host',
  getUser: async (c) => {
    const me = await hostUser(c)
    return me && toTwofold(me)
  },
  onSignIn: (c, user) => hostSession(c, user.id),
})
const app = new Hono()
app.route('/api', twoFactor.routes)
app.post('/login', async (c) => {
  const { email, password } = await c.req.json()
  const { rows } = await db.execute({ sql: 'SELECT * FROM users WHERE email = ?', args: [email] })
  if (!rows[0] || rows[0].password !== password) return c.json({ error: 'wrong' }, 401)
  const step = await twoFactor.beginSignIn(c, toTwofold(rows[0]))
  if (step.status === 'two_factor_required') return c.json(step)
  await hostSession(c, rows[0].id)
  return c.json(step)
})

function browser() {
  let cookie = ''
  return async (method, path, body) => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const set = res.headers.getSetCookie().find((c) => c.startsWith('sid='))
    if (set) cookie = set.split(';')[0]
    return { status: res.status, body: await res.json(), signedIn: cookie !== '' }
  }
}
const sessions = async () => Number((await db.execute('SELECT count(*) AS n FROM sessions')).rows[0].n)

const out = {}
const bob = browser()
out.plain = await bob('POST', '/login', { email: 'bob@example.com', password: 'pw-bob' })
out.bobAdmin = (await bob('GET', '/api/admin/users')).status
out.hostOwned = (await bob('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: 'pw-bob' })).status

const ada = browser()
await ada('POST', '/login', { email: 'ada@example.com', password: 'pw-ada' })
const setup = await ada('POST', '/api/two-factor/setup')
const code = await generate({ secret: setup.body.secret })
const verify = await ada('POST', '/api/two-factor/setup/verify', { code })
out.enrolled = verify.status

const again = browser()
const before = await sessions()
const login = await again('POST', '/login', { email: 'ada@example.com', password: 'pw-ada' })
out.challenge = { status: login.body.status, signedIn: login.signedIn, newSessions: (await sessions()) - before }
const token = login.body.challenge.token
out.replay = (await again('POST', '/api/auth/sign-in/two-factor', { challengeToken: token, code })).body
out.passed = await again('POST', '/api/auth/sign-in/two-factor', { challengeToken: token, code: verify.body.backupCodes[0] })
out.newSessions = (await sessions()) - before
out.adaAdmin = (await again('GET', '/api/admin/users')).body.users.map((u) => u.email).sort()
out.usersUntouched = JSON.stringify((await db.execute('SELECT * FROM users')).rows) === usersBefore
console.log(JSON.stringify(out))
`

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'twofold-host-app-'))
  writeFileSync(
    join(app, 'package.json'),
    '{ "name": "host-app", "private": true, "type": "module" }',
  )
  writeFileSync(join(app, 'host.mjs'), HOST)
  const install = await run('npm', ['install', '--no-audit', '--no-fund', tarball, ...PACKAGES])
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.output}`)
})
afterAll(() => rmSync(app, { recursive: true, force: true }))

describe('a host app with its own users, on the installed package', () => {
  it('adds the second factor: challenge before the host session, replay refused, admin by role', async () => {
    const result = await run('node', ['host.mjs'])
    expect(result.status, result.output).toBe(0)
    const out = JSON.parse(result.output.split('\n').pop()!)
    expect(out.plain).toMatchObject({
      status: 200,
      signedIn: true,
      body: { status: 'authenticated', user: { twoFactorEnabled: false } },
    })
    expect(out.bobAdmin).toBe(403)
    expect(out.hostOwned).toBe(404)
    expect(out.enrolled).toBe(200)
    expect(out.challenge).toEqual({
      status: 'two_factor_required',
      signedIn: false,
      newSessions: 0,
    })
    expect(out.replay.error.code).toBe('INVALID_CODE')
    expect(out.passed).toMatchObject({
      status: 200,
      signedIn: true,
      body: { status: 'authenticated', method: 'backup_code', session: { id: 'host-session' } },
    })
    expect(out.newSessions).toBe(1)
    expect(out.adaAdmin).toEqual(['ada@example.com', 'bob@example.com'])
    expect(out.usersUntouched).toBe(true)
  })
})
