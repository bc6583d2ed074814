/**
 * The packed tarball (test/package/pack.ts): what it ships, publint, are-the-types-wrong, the
 * kit's import graph and weight, and `twofold/server` run from the unpacked files.
 */
import { drizzle } from 'drizzle-orm/libsql'
import { createClient } from '@libsql/client'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { distEntry } from '../bench/ui-weight'
import { ROOT } from './pack'

const tarball = inject('tarball')
let work: string
/** The unpacked tarball, with the repository's node_modules linked beside it. */
let pkg: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'twofold-unpacked-'))
  execFileSync('tar', ['-xzf', tarball, '-C', work])
  pkg = join(work, 'package')
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? listFiles(path) : [relative(pkg, path)]
  })
}

describe('the packed package', () => {
  it('ships dist/, the migrations, LICENSE, README and package.json, nothing else', () => {
    const files = listFiles(pkg)
    expect(
      files.filter((file) => !/^(dist\/|drizzle\/|LICENSE$|README\.md$|package\.json$)/.test(file)),
    ).toEqual([])
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/react.js',
        'dist/react.d.ts',
        'dist/server.js',
        'dist/server.d.ts',
        'dist/styles.css',
        'drizzle/meta/_journal.json',
        'LICENSE',
        ...readdirSync(join(ROOT, 'drizzle'))
          .filter((name) => name.endsWith('.sql'))
          .map((name) => `drizzle/${name}`),
      ]),
    )
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))
    expect(manifest).toMatchObject({
      name: 'twofold',
      version: '0.2.0',
      license: 'MIT',
      type: 'module',
    })
    expect(manifest.private).toBeUndefined()
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['hono', 'react', 'react-dom'])
    for (const peer of ['hono', 'react', 'react-dom']) {
      expect(manifest.dependencies[peer]).toBeUndefined()
    }
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    // The stylesheet is one file: its @imports are inlined.
    const css = readFileSync(join(pkg, 'dist/styles.css'), 'utf8')
    expect(css).not.toMatch(/@import/)
    expect(css).toMatch(/--twofold-/)
    expect(css).toMatch(/\[data-slot=/)
  })

  it('publint reports no error and no warning', async () => {
    const buffer = readFileSync(tarball)
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) },
      level: 'warning',
    })
    expect(
      messages.map((message) => `${message.type}: ${formatMessage(message, manifest)}`),
    ).toEqual([])
  })

  it('are-the-types-wrong finds no problem for node16 (ESM) and bundler resolution', () => {
    const attw = join(ROOT, 'node_modules/.bin/attw')
    // ESM-only package: node10 and require() from CommonJS are out of scope (esm-only profile).
    const run = spawnSync(
      attw,
      [
        tarball,
        '--profile',
        'esm-only',
        '--exclude-entrypoints',
        './styles.css',
        '--format',
        'json',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    )
    const report = JSON.parse(run.stdout)
    const problems = (
      report.analysis.problems as Array<{
        kind: string
        entrypoint: string
        resolutionKind?: string
      }>
    ).filter(
      (p) => p.resolutionKind === undefined || ['node16-esm', 'bundler'].includes(p.resolutionKind),
    )
    expect(problems).toEqual([])
    expect(run.status).toBe(0)
    const entrypoints = report.analysis.entrypoints
    for (const entry of ['./react', './server']) {
      for (const kind of ['node16-esm', 'bundler']) {
        const resolution = entrypoints[entry].resolutions[kind]
        expect(resolution.resolution.fileName).toMatch(/\.d\.ts$/)
        expect(resolution.resolution.isTypeScript).toBe(true)
      }
    }
  })

  it('twofold/react pulls no server code, and weighs under 40 KiB gzip with its stylesheet', () => {
    const dist = join(pkg, 'dist')
    const react = distEntry(dist, 'react.js')
    const allowed = [
      '@radix-ui/react-dialog',
      // startRegistration/startAuthentication for passkeys (counted in test/ui/weight.test.ts).
      '@simplewebauthn/browser',
      // Hands the page's CSP nonce to the <style> elements Radix and input-otp insert.
      'get-nonce',
      'input-otp',
      'react',
      'react-dom',
      'react/jsx-runtime',
    ]
    expect(react.packages.filter((name) => !allowed.includes(name))).toEqual([])
    const code = react.files.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n')
    expect(code).not.toMatch(/drizzle|sqliteTable|libsql|OpenAPIHono|hono\//)
    expect(code).toMatch(/INVALID_CREDENTIALS/) // the shared error codes, and only they
    expect(readFileSync(join(dist, 'react.js'), 'utf8')).toMatch(/^['"]use client['"]/)
    const styles = distEntry(dist, 'styles.css')
    expect(react.gzip).toBeGreaterThan(5_000)
    expect(react.gzip + styles.gzip).toBeLessThan(40 * 1024)
  })

  it('twofold/server: migrate applies the shipped migrations once, and createApp serves on them', async () => {
    const server = (await import(
      pathToFileURL(join(pkg, 'dist/server.js')).href
    )) as typeof import('../../api/server')
    const client = createClient({ url: `file:${join(work, 'server.db')}` })
    try {
      await server.migrate(client)
      await server.migrate(client) // already applied: nothing to do
      const applied = await client.execute('SELECT count(*) AS n FROM twofold_migrations')
      const shipped = readdirSync(join(pkg, 'drizzle')).filter((name) => name.endsWith('.sql'))
      expect(Number(applied.rows[0]!.n)).toBe(shipped.length)

      const app = server.createApp({
        db: client,
        secret: server.generateServerSecret(),
        trustedOrigins: ['https://app.example.com'],
      })
      const signUp = await app.request('/api/auth/sign-up', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://app.example.com' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'a long password' }),
      })
      expect(signUp.status).toBe(201)
      expect(signUp.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
      const { session } = (await signUp.json()) as { session: { token: string } }
      const me = await app.request('/api/auth/session', {
        headers: { authorization: `Bearer ${session.token}` },
      })
      expect(((await me.json()) as { user: { email: string } }).user.email).toBe('ada@example.com')

      // A database opened per request (as a Worker on remote libSQL must) serves the same data,
      // and the purge an embedder schedules itself removes what has expired.
      const perRequest = server.createApp({
        db: () => client,
        secret: server.generateServerSecret(),
      })
      const health = await perRequest.request('/api/health')
      expect(health.status).toBe(200)
      await server.purgeExpired(drizzle(client), Date.now() + 365 * 24 * 3600_000)
      const left = await client.execute('SELECT count(*) AS n FROM twofold_sessions')
      expect(Number(left.rows[0]!.n)).toBe(0)
    } finally {
      client.close()
    }
  })
})
