/**
 * Security headers on every API answer (success, error, unknown route, refused body), `no-store`
 * on every one of them, and the API reference's pinned assets: their `integrity` values are
 * recomputed here from the exact files of swagger-ui-dist in node_modules.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SWAGGER_UI_ASSETS, SWAGGER_UI_VERSION } from '../../api/lib/api-docs'
import { makeApp, type TestApp } from './helpers'

/** Parses a CSP header into directive → sources. */
function csp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) directives.set(name, sources)
  }
  return directives
}

function expectApiHeaders(headers: Headers, label: string) {
  const policy = csp(headers.get('content-security-policy'))
  expect(policy.get('default-src'), label).toEqual(["'none'"])
  expect(policy.get('frame-ancestors'), label).toEqual(["'none'"])
  expect(headers.get('x-frame-options'), label).toBe('DENY')
  expect(headers.get('x-content-type-options'), label).toBe('nosniff')
  expect(headers.get('referrer-policy'), label).toBe('no-referrer')
  expect(headers.get('cache-control'), label).toBe('no-store')
}

describe('security headers on the API', () => {
  let t: TestApp
  let token: string
  beforeAll(async () => {
    t = await makeApp()
    token = (await t.signUp('admin@example.com')).token
  })

  it('every kind of answer has CSP, frame-ancestors, X-Frame-Options, nosniff, Referrer-Policy and no-store', async () => {
    const answers = {
      health: await t.call('GET', '/api/health'),
      'sign-up (session token)': await t.call('POST', '/api/auth/sign-up', {
        body: { email: 'grace@example.com', password: 'grace password' },
      }),
      'sign-in': await t.call('POST', '/api/auth/sign-in', {
        body: { email: 'admin@example.com', password: 'correct horse' },
      }),
      'setup (TOTP secret)': await t.call('POST', '/api/two-factor/setup', { token }),
      '401': await t.call('GET', '/api/two-factor'),
      '404': await t.call('GET', '/api/nowhere'),
      '413': await t.call('POST', '/api/auth/sign-in', {
        raw: JSON.stringify({ x: 'x'.repeat(17_000) }),
      }),
      '415': await t.call('POST', '/api/auth/sign-in', {
        raw: 'email=a',
        headers: { 'content-type': 'text/plain' },
      }),
      '403 CSRF': await t.call('POST', '/api/auth/sign-in', {
        body: { email: 'admin@example.com', password: 'x' },
        headers: { origin: 'https://evil.example' },
      }),
      'openapi.json': await t.call('GET', '/api/openapi.json'),
    }
    expect(answers['sign-in'].status).toBe(200)
    expect(answers['setup (TOTP secret)'].status).toBe(200)
    expect(answers['413'].status).toBe(413)
    expect(answers['415'].status).toBe(415)
    expect(answers['403 CSRF'].status).toBe(403)
    for (const [label, res] of Object.entries(answers)) expectApiHeaders(res.headers, label)
  })

  it('backup codes and the session read are not cacheable either', async () => {
    const t2 = await makeApp()
    const { token: own } = await t2.signUp()
    const { backupCodes } = await t2.enroll(own)
    expect(backupCodes).toHaveLength(10)
    for (const path of ['/api/auth/session', '/api/two-factor/backup-codes']) {
      const res = await t2.call('GET', path, { token: own })
      expect(res.status).toBe(200)
      expectApiHeaders(res.headers, path)
    }
  })
})

const swaggerUiDist = dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
)

describe('/api/docs', () => {
  let t: TestApp
  let page: string
  let headers: Headers
  beforeAll(async () => {
    t = await makeApp()
    const res = await t.call('GET', '/api/docs')
    expect(res.status).toBe(200)
    page = res.body
    headers = res.headers
  })

  it('pins the version of swagger-ui-dist that is installed', () => {
    const installed = JSON.parse(readFileSync(join(swaggerUiDist, 'package.json'), 'utf8'))
    expect(installed.version).toBe(SWAGGER_UI_VERSION)
    const declared = JSON.parse(readFileSync('package.json', 'utf8')).devDependencies[
      'swagger-ui-dist'
    ]
    expect(declared, 'an exact version: the hashes belong to one release').toBe(SWAGGER_UI_VERSION)
  })

  it('loads every script and stylesheet with integrity and crossorigin, and the hashes match the files', () => {
    const tags = [...page.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0])
    const external = tags.filter((tag) => /\b(src|href)="/.test(tag))
    expect(external).toHaveLength(2)
    for (const asset of Object.values(SWAGGER_UI_ASSETS)) {
      const tag = external.find((candidate) => candidate.includes(`"${asset.url}"`))
      expect(tag, asset.url).toBeDefined()
      expect(asset.url).toContain(`swagger-ui-dist@${SWAGGER_UI_VERSION}/${asset.file}`)
      const integrity = tag!.match(/integrity="([^"]+)"/)?.[1]
      expect(tag).toMatch(/crossorigin="anonymous"/)
      const bytes = readFileSync(join(swaggerUiDist, asset.file))
      expect(integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`)
    }
  })

  it('has a CSP that allows only the pinned files and its own inline script, and is never framed', () => {
    const policy = csp(headers.get('content-security-policy'))
    expect(policy.get('default-src')).toEqual(["'none'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    const scriptSrc = policy.get('script-src') ?? []
    expect(scriptSrc).toContain(SWAGGER_UI_ASSETS.script.url)
    const nonce = scriptSrc.find((s) => s.startsWith("'nonce-"))?.slice(7, -1)
    expect(nonce).toBeTruthy()
    expect(
      scriptSrc.filter((s) => s !== SWAGGER_UI_ASSETS.script.url && !s.startsWith("'nonce-")),
    ).toEqual([])
    expect(policy.get('style-src')).toEqual([SWAGGER_UI_ASSETS.stylesheet.url])
    // Every script on the page carries the nonce of this answer.
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBe(2)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    expect(headers.get('x-frame-options')).toBe('DENY')
    expect(headers.get('x-content-type-options')).toBe('nosniff')
    expect(headers.get('referrer-policy')).toBe('same-origin')
  })

  it('a new nonce on every answer', async () => {
    const again = await t.call('GET', '/api/docs')
    expect(again.headers.get('content-security-policy')).not.toBe(
      headers.get('content-security-policy'),
    )
  })
})
