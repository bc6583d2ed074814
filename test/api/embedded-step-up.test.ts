/**
 * Embedded mode's `requireStepUp()` for the host's own sensitive routes: the window opened by
 * POST /api/two-factor/step-up belongs to the host's user (Twofold has no session there).
 */
import { createClient } from '@libsql/client'
import { Hono } from 'hono'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateServerSecret } from '../../api/lib/crypto'
import { totpAt } from '../../api/lib/totp'
import { createTwoFactor, migrate } from '../../api/server'
import { T0 } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'twofold-embedded-step-up-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('requireStepUp() in embedded mode', () => {
  it('401 without a host user, 403 STEP_UP_REQUIRED until the user steps up, for 10 minutes', async () => {
    const client = createClient({ url: `file:${join(dir, 'host.db')}` })
    await migrate(client)
    const clock = { now: T0 }
    const twoFactor = createTwoFactor({
      db: client,
      secret: generateServerSecret(),
      now: () => clock.now,
      // The host's session, reduced to a header for the test.
      getUser: (c) => {
        const id = c.req.header('x-user')
        return id ? { id, email: `${id}@example.com` } : null
      },
      onSignIn: () => null,
    })
    const app = new Hono()
    app.route('/api', twoFactor.routes)
    app.post('/transfer', twoFactor.requireStepUp(), (c) => c.json({ sent: true }))
    const call = async (path: string, user?: string, body?: unknown) => {
      const headers: Record<string, string> = {}
      if (user) headers['x-user'] = user
      if (body !== undefined) headers['content-type'] = 'application/json'
      const res = await app.request(path, {
        method: 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : null }
    }

    expect((await call('/transfer')).status).toBe(401)
    const setup = await call('/api/two-factor/setup', 'u1')
    const secret = setup.body.secret as string
    const enabled = await call('/api/two-factor/setup/verify', 'u1', {
      code: await totpAt(secret, clock.now),
    })
    expect(enabled.status).toBe(200)
    const refused = await call('/transfer', 'u1')
    expect([refused.status, refused.body.error.code]).toEqual([403, 'STEP_UP_REQUIRED'])

    clock.now += 30_000
    const up = await call('/api/two-factor/step-up', 'u1', {
      code: await totpAt(secret, clock.now),
    })
    expect(up.status).toBe(200)
    expect(await call('/transfer', 'u1')).toEqual({ status: 200, body: { sent: true } })
    // Another host user is not stepped up.
    expect((await call('/transfer', 'u2')).status).toBe(403)
    clock.now += 10 * 60_000 + 1
    expect((await call('/transfer', 'u1')).status).toBe(403)
    client.close()
  })
})
