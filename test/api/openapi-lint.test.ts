/**
 * The document as client generators and linters see it: redocly's recommended ruleset, declared
 * security, request schemas as strict as the server, and the documented error statuses.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../shared/error-codes'
import { HttpError } from '../../api/lib/errors'
import { classifyCode } from '../../api/services/factor.service'
import { makeApp } from './helpers'

const run = promisify(execFile)
const REDOCLY = join(
  dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
)
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

type Operation = Record<string, any> & { method: string; path: string }

async function loadDocument() {
  const t = await makeApp()
  return (await t.call('GET', '/api/openapi.json')).body
}

function operationsOf(doc: any): Operation[] {
  return Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ ...op, method, path })),
  )
}

describe('redocly lint (recommended ruleset)', () => {
  it('reports 0 errors; the only warnings left are the missing license and health’s lack of a 4xx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-redocly-'))
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(await loadDocument()))
      const result = await run(
        process.execPath,
        [REDOCLY, 'lint', 'openapi.json', '--extends', 'recommended', '--format', 'json'],
        {
          cwd: dir,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 16 * 1024 * 1024,
        },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
      const report = JSON.parse(result.stdout) as {
        totals: { errors: number; warnings: number }
        problems: Array<{
          ruleId: string
          severity: string
          message: string
          location: Array<{ pointer: string }>
        }>
      }
      const describe = (p: (typeof report.problems)[number]) =>
        `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`
      expect(report.problems.filter((p) => p.severity === 'error').map(describe)).toEqual([])
      expect(report.totals.errors).toBe(0)
      // No license is declared for the project (package.json is private); health cannot fail.
      expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`).sort()).toEqual([
        'info-license #/info',
        'operation-4xx-response #/paths/~1api~1health/get/responses',
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the OpenAPI document for generators', () => {
  let doc: any
  let operations: Operation[]
  beforeAll(async () => {
    doc = await loadDocument()
    operations = operationsOf(doc)
  })

  it('has servers, and a unique operationId on every operation', () => {
    expect(doc.servers?.length).toBeGreaterThan(0)
    const ids = operations.map((op) => op.operationId)
    expect(ids.filter((id) => typeof id !== 'string')).toEqual([])
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('declares security on every operation: none on public ones, the session on the rest, sign-out included', () => {
    const PUBLIC = [
      'get /api/health',
      'post /api/auth/sign-up',
      'post /api/auth/sign-in',
      'post /api/auth/sign-in/two-factor',
      'post /api/auth/sign-in/two-factor/email',
      'post /api/auth/sign-in/two-factor/passkey',
    ]
    const session = [{ bearerAuth: [] }, { sessionCookie: [] }]
    for (const op of operations) {
      const name = `${op.method} ${op.path}`
      expect(op.security, name).toBeDefined()
      if (PUBLIC.includes(name)) expect(op.security, name).toEqual([])
      else if (name === 'post /api/auth/sign-out') expect(op.security).toEqual([...session, {}])
      else expect(op.security, name).toEqual(session)
    }
  })

  it('PUT /api/admin/policy takes a plain object with emailFallback optional', () => {
    const ref =
      doc.paths['/api/admin/policy'].put.requestBody.content['application/json'].schema.$ref
    const body = doc.components.schemas[ref.split('/').pop()]
    expect(body.allOf).toBeUndefined()
    expect(body.type).toBe('object')
    expect(Object.keys(body.properties).sort()).toEqual([
      'emailFallback',
      'enforce',
      'gracePeriodDays',
    ])
    expect(body.required.sort()).toEqual(['enforce', 'gracePeriodDays'])
  })

  it('email is format email; TOTP-only codes and the other codes have the server’s patterns', () => {
    const schemas = doc.components.schemas
    expect(schemas.SignUpBody.properties.email.format).toBe('email')
    expect(schemas.SignInBody.properties.email.format).toBe('email')
    const bodyOf = (path: string) => {
      const body =
        schemas[
          doc.paths[path].post.requestBody.content['application/json'].schema.$ref.split('/').pop()
        ]
      // The second sign-in step is a code or (since issue 15) a passkey: the code's variant.
      return body.anyOf ? body.anyOf.find((variant: any) => variant.properties.code) : body
    }
    const totpOnly = ['/api/two-factor/setup/verify', '/api/two-factor/backup-codes']
    const anyCode = ['/api/two-factor/disable', '/api/auth/sign-in/two-factor']
    // A pattern is as strict as the server when it accepts exactly what classifyCode accepts.
    const accepts = (raw: string, method?: 'totp') => {
      try {
        classifyCode(raw, method)
        return true
      } catch (error) {
        if (error instanceof HttpError && error.status === 400) return false
        throw error
      }
    }
    const samples = [
      '123456',
      ' 123 456 ',
      '12345',
      '1234567',
      '12345a',
      '',
      'abcdef',
      '7KQ2M-X9RTA',
      '7kq2m x9rta',
      '7KQ2MX9RTA',
      '7KQ2M-X9RT',
      '7KQ2M-X9RTAA',
      '7KQ2M-X9RTI',
      '0OQ2M-X9RTA',
      '--7KQ2M--X9RTA--',
      '１２３４５６',
    ]
    for (const path of [...totpOnly, ...anyCode]) {
      const code = bodyOf(path).properties.code
      const pattern = new RegExp(code.pattern)
      const method = totpOnly.includes(path) ? 'totp' : undefined
      for (const sample of samples) {
        expect(pattern.test(sample), `${path} ${JSON.stringify(sample)}`).toBe(
          accepts(sample, method),
        )
      }
    }
  })

  it('error code is the enum of every error code', () => {
    const error = doc.components.schemas.Error.properties.error
    const code = error.properties.code.$ref
      ? doc.components.schemas[error.properties.code.$ref.split('/').pop()]
      : error.properties.code
    expect(code.enum).toEqual(Object.keys(ERROR_CODES))
  })

  it('the sign-in answer is a oneOf with a discriminator on status', () => {
    const ref =
      doc.paths['/api/auth/sign-in'].post.responses['200'].content['application/json'].schema.$ref
    const answer = doc.components.schemas[ref.split('/').pop()]
    expect(answer.oneOf).toHaveLength(2)
    expect(answer.discriminator.propertyName).toBe('status')
    expect(Object.keys(answer.discriminator.mapping).sort()).toEqual([
      'authenticated',
      'two_factor_required',
    ])
  })

  it('documents 415 for JSON bodies, Retry-After on every 429 and Set-Cookie on sign-in', () => {
    for (const op of operations) {
      const name = `${op.method} ${op.path}`
      if (op.requestBody) {
        expect(Object.keys(op.responses), name).toEqual(
          expect.arrayContaining(['400', '413', '415']),
        )
      } else {
        expect(op.responses['415'], name).toBeUndefined()
      }
      if (op.responses['429']) {
        expect(op.responses['429'].headers?.['Retry-After']?.schema?.type, name).toBe('integer')
      }
    }
    for (const path of ['/api/auth/sign-in', '/api/auth/sign-in/two-factor']) {
      expect(doc.paths[path].post.responses['200'].headers?.['Set-Cookie'], path).toBeDefined()
    }
    expect(
      doc.paths['/api/auth/sign-up'].post.responses['201'].headers?.['Set-Cookie'],
    ).toBeDefined()
  })

  it('lists only the errors an operation can give', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(doc.paths[path][method].responses).filter((s) => Number(s) >= 400)
    expect(statuses('/api/health', 'get')).toEqual([])
    expect(statuses('/api/auth/session', 'get')).toEqual(['401'])
    expect(statuses('/api/auth/sign-in', 'post')).toEqual([
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
    ])
    expect(statuses('/api/admin/stats', 'get')).toEqual(['401', '403'])
    expect(statuses('/api/two-factor/trusted-devices/{id}', 'delete')).toEqual([
      '400',
      '401',
      '403',
      '404',
    ])
  })

  it('documents the password change and the paged outbox', () => {
    expect(doc.paths['/api/auth/password'].post.requestBody).toBeDefined()
    const outbox = doc.paths['/api/admin/outbox'].get
    expect(outbox.parameters.map((p: any) => p.name).sort()).toEqual(['page', 'pageSize'])
    const ref = outbox.responses['200'].content['application/json'].schema.$ref
    const list = doc.components.schemas[ref.split('/').pop()]
    expect(list.required.sort()).toEqual(['messages', 'page', 'pageSize', 'total'])
  })
})

describe('every error the server gives is documented for its operation', () => {
  it('probes each operation without a session, with a fenced one, as a non-admin, cross-site, with bad bodies', async () => {
    const t = await makeApp()
    const doc = (await t.call('GET', '/api/openapi.json')).body
    const admin = (await t.signUp('admin@example.com')).token
    const user = (await t.signUp('user@example.com')).token
    // A fenced session: the policy requires 2FA of everyone, with no grace.
    const fenced = (await t.signUp('fenced@example.com')).token
    const policy = await t.call('PUT', '/api/admin/policy', {
      token: admin,
      body: { enforce: 'all', gracePeriodDays: 0 },
    })
    expect(policy.status).toBe(200)
    t.advance(60)
    const cookie = (token: string) => ({ cookie: `twofold_session=${token}` })
    const undocumented: string[] = []
    let probes = 0
    // Sign-out last: it ends the sessions the other probes use.
    const ordered = operationsOf(doc).sort(
      (a, b) => Number(a.operationId === 'signOut') - Number(b.operationId === 'signOut'),
    )
    for (const op of ordered) {
      const path = op.path.replace('{id}', 'usr_unknown')
      const hasBody = Boolean(op.requestBody)
      const attempts: Array<Parameters<typeof t.call>[2]> = [
        {},
        { token: user },
        { token: fenced },
        {
          headers: { ...cookie(admin), origin: 'https://evil.example' },
          ...(hasBody ? { body: {} } : {}),
        },
      ]
      if (hasBody) {
        attempts.push(
          { token: admin, raw: 'email=a', headers: { 'content-type': 'text/plain' } },
          { token: admin, raw: '{"broken": ' },
          { token: admin, body: {} },
          { token: admin, raw: JSON.stringify({ x: 'x'.repeat(17_000) }) },
        )
      }
      for (const init of attempts) {
        const res = await t.call(op.method.toUpperCase(), path, init)
        probes += 1
        if (res.status >= 400 && !op.responses[String(res.status)]) {
          undocumented.push(`${op.method} ${op.path} → ${res.status} ${res.body?.error?.code}`)
        }
        if (res.status >= 400) expect(ERROR_CODES).toHaveProperty(res.body.error.code)
      }
    }
    expect(probes).toBeGreaterThan(100)
    expect(undocumented).toEqual([])
  })
})
