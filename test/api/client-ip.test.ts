/**
 * The client IP (contract, Conventions): the socket address on Node, CF-Connecting-IP only on
 * Workers, the rightmost X-Forwarded-For entry behind a trusted proxy; IPv6 counted by its /64
 * for the per-IP limit, kept whole in the audit log.
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ipBucket } from '../../api/lib/ip-bucket'
import { buildWorkerApp } from '../../api/worker'
import { generateServerSecret } from '../../api/lib/crypto'
import { makeApp, type TestApp } from './helpers'

async function auditIps(t: TestApp, action: string) {
  const rows = await t.client.execute({
    sql: 'select ip from twofold_audit_events where action = ? order by created_at',
    args: [action],
  })
  return rows.rows.map((r) => r.ip)
}

const signIn = (t: TestApp, email: string, password: string, headers?: Record<string, string>) =>
  t.call('POST', '/api/auth/sign-in', { body: { email, password }, headers })

describe('client IP on Node', () => {
  it('is the socket address: a client-sent CF-Connecting-IP moves neither the audit nor the limit', async () => {
    const t = await makeApp({ limits: { passwordFailuresPerIp: 3 } })
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' })
    try {
      await new Promise((resolve) => server.once('listening', resolve))
      const { port } = server.address() as AddressInfo
      const post = (path: string, body: unknown, ip: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'cf-connecting-ip': ip,
            'x-forwarded-for': ip,
          },
          body: JSON.stringify(body),
        })
      expect(
        (
          await post(
            '/api/auth/sign-up',
            { email: 'a@example.com', password: 'correct horse' },
            '203.0.113.9',
          )
        ).status,
      ).toBe(201)
      const [ip] = await auditIps(t, 'sign_up')
      expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
      // Three failures, each claiming another address, fill the one socket address's limit.
      for (let i = 0; i < 3; i++) {
        const res = await post(
          '/api/auth/sign-in',
          { email: `nobody${i}@example.com`, password: 'x' },
          `198.51.100.${i + 1}`,
        )
        expect(res.status).toBe(401)
      }
      const blocked = await post(
        '/api/auth/sign-in',
        { email: 'a@example.com', password: 'correct horse' },
        '198.51.100.200',
      )
      expect(blocked.status).toBe(429)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('ignores X-Forwarded-For and CF-Connecting-IP without trustProxy', async () => {
    const t = await makeApp()
    await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'a@example.com', password: 'correct horse' },
      headers: { 'cf-connecting-ip': '203.0.113.9', 'x-forwarded-for': '203.0.113.10' },
    })
    expect(await auditIps(t, 'sign_up')).toEqual([null])
  })

  it('behind a trusted proxy: the rightmost X-Forwarded-For entry, not the client-chosen leftmost', async () => {
    const t = await makeApp({ trustProxy: true, limits: { passwordFailuresPerIp: 3 } })
    await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'a@example.com', password: 'correct horse' },
      headers: {
        'x-forwarded-for': '10.9.9.9, 1.2.3.4,  203.0.113.50 ',
        'cf-connecting-ip': '198.51.100.77',
      },
    })
    expect(await auditIps(t, 'sign_up')).toEqual(['203.0.113.50'])
    // A client that varies the leftmost entries stays one address.
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await signIn(t, `nobody${i}@example.com`, 'x', {
            'x-forwarded-for': `192.0.2.${i}, 203.0.113.60`,
          })
        ).status,
      ).toBe(401)
    }
    expect(
      (
        await signIn(t, 'a@example.com', 'correct horse', {
          'x-forwarded-for': '192.0.2.99, 203.0.113.60',
        })
      ).status,
    ).toBe(429)
    expect(
      (await signIn(t, 'a@example.com', 'correct horse', { 'x-forwarded-for': '203.0.113.61' }))
        .status,
    ).toBe(200)
  })
})

describe('client IP on Workers', () => {
  it('the Worker entry says it runs on Workers, and there CF-Connecting-IP is the client', async () => {
    const worker = buildWorkerApp({ DB: {} as never, TWOFOLD_SECRET: generateServerSecret() })
    expect(worker.deps.runtime).toBe('workers')
    const t = await makeApp({ runtime: 'workers' })
    await t.call('POST', '/api/auth/sign-up', {
      body: { email: 'a@example.com', password: 'correct horse' },
      headers: { 'cf-connecting-ip': '203.0.113.9', 'x-forwarded-for': '198.51.100.1' },
    })
    expect(await auditIps(t, 'sign_up')).toEqual(['203.0.113.9'])
  })

  it('a Node app (the default) does not read CF-Connecting-IP', async () => {
    const t = await makeApp()
    expect(t.app.deps.runtime).toBe('node')
  })
})

describe('IPv6: the per-IP limit counts a /64', () => {
  it('addresses of one /64 share the limit; the audit keeps each full address', async () => {
    const t = await makeApp({ trustProxy: true, limits: { passwordFailuresPerIp: 3 } })
    const { email } = await t.signUp('a@example.com')
    const sameNet = [
      '2001:db8:1:2::1',
      '2001:DB8:1:2:ffff:ffff:ffff:fffe',
      '2001:0db8:0001:0002:0:0:0:9',
    ]
    for (const [i, ip] of sameNet.entries()) {
      expect(
        (await signIn(t, `nobody${i}@example.com`, 'x', { 'x-forwarded-for': ip })).status,
      ).toBe(401)
    }
    expect(
      (await signIn(t, email, 'correct horse', { 'x-forwarded-for': '2001:db8:1:2:abcd::1' }))
        .status,
    ).toBe(429)
    expect(
      (await signIn(t, email, 'correct horse', { 'x-forwarded-for': '2001:db8:1:3::1' })).status,
    ).toBe(200)
    expect(await auditIps(t, 'sign_in_failed')).toEqual(sameNet)
  })

  it('ipBucket: IPv4 as is, IPv4-mapped as IPv4, IPv6 by its first 64 bits', () => {
    expect(ipBucket('192.0.2.1')).toBe('192.0.2.1')
    expect(ipBucket('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(ipBucket('2001:DB8:0:0:1::')).toBe('2001:db8:0:0::/64')
    expect(ipBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(ipBucket('::1')).toBe('0:0:0:0::/64')
    expect(ipBucket(null)).toBe(null)
    expect(ipBucket('not an address')).toBe('not an address')
  })
})
