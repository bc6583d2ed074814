/**
 * Bodies over 16 KiB answer 413 PAYLOAD_TOO_LARGE (contract, Conventions), over real HTTP on
 * Node: with a declared Content-Length (decided from the header alone) and streamed in chunks
 * without one (counted as it is read). Bodies within the limit reach the route.
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_LIMIT_BYTES } from '../../api/app'
import { expectErrorShape, makeApp, type TestApp } from './helpers'

let t: TestApp
let server: ReturnType<typeof serve>
let base = ''

beforeAll(async () => {
  t = await makeApp()
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const signInBody = (passwordLength: number) =>
  JSON.stringify({ email: 'nobody@example.com', password: 'x'.repeat(passwordLength) })

/** The same JSON, sent as a stream of 1 KiB chunks (Transfer-Encoding: chunked, no length). */
function chunked(text: string) {
  const bytes = new TextEncoder().encode(text)
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 1024) controller.enqueue(bytes.slice(at, at + 1024))
      controller.close()
    },
  })
}

const post = (body: BodyInit) =>
  fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit)

describe('the body limit over HTTP', () => {
  it('refuses a declared length over the limit with the error shape', async () => {
    const body = signInBody(BODY_LIMIT_BYTES)
    expect(new TextEncoder().encode(body).length).toBeGreaterThan(BODY_LIMIT_BYTES)
    const res = await post(body)
    expect(res.status).toBe(413)
    const json = await res.json()
    expectErrorShape(json)
    expect(json.error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('refuses a chunked body once it passes the limit', async () => {
    const res = await post(chunked(signInBody(BODY_LIMIT_BYTES)))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('lets bodies within the limit reach the route, declared or chunked', async () => {
    for (const body of [signInBody(100), chunked(signInBody(100))]) {
      const res = await post(body)
      expect(res.status).toBe(401)
      expect((await res.json()).error.code).toBe('INVALID_CREDENTIALS')
    }
  })
})
