/**
 * The real Node server on a file database, killed with SIGKILL and started again: nothing that
 * was acknowledged is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { totpAt } from '../../api/lib/totp'

const dir = mkdtempSync(join(tmpdir(), 'twofold-durable-'))
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

async function start(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/node.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'twofold.db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error('server did not start')
}

function api(port: number) {
  return async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: res.status === 204 ? null : await res.json() }
  }
}

describe('durability', () => {
  it('after SIGKILL and restart the factor works, a used code stays used, a lock stays', async () => {
    const port = await freePort()
    let server = await start(port)
    const call = api(port)
    const password = 'correct horse'
    await call('POST', '/api/auth/sign-up', { email: 'admin@example.com', password })
    const a = await call('POST', '/api/auth/sign-up', { email: 'a@example.com', password })
    const setup = await call('POST', '/api/two-factor/setup', undefined, a.body.session.token)
    const secret = setup.body.secret
    const verify = await call(
      'POST',
      '/api/two-factor/setup/verify',
      { code: await totpAt(secret, Date.now()) },
      a.body.session.token,
    )
    const [used] = verify.body.backupCodes
    const challenge = async (email: string) =>
      (await call('POST', '/api/auth/sign-in', { email, password })).body.challenge.token
    const withBackup = await call('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: await challenge('a@example.com'),
      code: used,
    })
    expect(withBackup.status).toBe(200)

    const b = await call('POST', '/api/auth/sign-up', { email: 'b@example.com', password })
    const bSetup = await call('POST', '/api/two-factor/setup', undefined, b.body.session.token)
    await call(
      'POST',
      '/api/two-factor/setup/verify',
      { code: await totpAt(bSetup.body.secret, Date.now()) },
      b.body.session.token,
    )
    for (let c = 0; c < 2; c++) {
      const token = await challenge('b@example.com')
      for (let i = 0; i < 5; i++)
        await call('POST', '/api/auth/sign-in/two-factor', {
          challengeToken: token,
          code: '000000',
        })
    }

    server.kill('SIGKILL')
    await new Promise((r) => server.once('exit', r))
    server = await start(port)

    const reused = await call('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: await challenge('a@example.com'),
      code: used,
    })
    expect(reused.status).toBe(401)
    const totp = await call('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: await challenge('a@example.com'),
      code: await totpAt(secret, Date.now() + 30_000),
    })
    expect(totp.status).toBe(200)
    expect(totp.body.method).toBe('totp')
    const locked = await call('POST', '/api/auth/sign-in/two-factor', {
      challengeToken: await challenge('b@example.com'),
      code: await totpAt(bSetup.body.secret, Date.now() + 30_000),
    })
    expect(locked.status).toBe(429)
  }, 60_000)
})
