import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

// Every route of shared/api-contract.md.
const CONTRACT = [
  'post /api/auth/sign-up',
  'post /api/auth/sign-in',
  'post /api/auth/sign-in/two-factor',
  'post /api/auth/sign-in/two-factor/email',
  'post /api/auth/sign-out',
  'get /api/auth/session',
  'post /api/auth/password',
  'get /api/two-factor',
  'post /api/two-factor/setup',
  'post /api/two-factor/setup/verify',
  'post /api/two-factor/disable',
  'post /api/two-factor/backup-codes',
  'get /api/two-factor/backup-codes',
  'get /api/two-factor/trusted-devices',
  'delete /api/two-factor/trusted-devices/{id}',
  'delete /api/two-factor/trusted-devices',
  'get /api/two-factor/events',
  'get /api/admin/users',
  'patch /api/admin/users/{id}',
  'post /api/admin/users/{id}/two-factor/reset',
  'post /api/admin/users/{id}/unlock',
  'get /api/admin/policy',
  'put /api/admin/policy',
  'get /api/admin/stats',
  'get /api/admin/audit',
  'get /api/admin/outbox',
  'get /api/health',
]

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every contract route with the error shape', async () => {
    const t = await makeApp()
    const doc = (await t.call('GET', '/api/openapi.json')).body
    expect(doc.openapi).toBe('3.1.0')
    // The document describes the package it ships in.
    expect(doc.info.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
    const operations = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    )
    for (const route of CONTRACT) expect(operations).toContain(route)
    const signIn = doc.paths['/api/auth/sign-in'].post
    expect(signIn.responses['401'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    )
    // A code, or (issue 15) a passkey's assertion instead.
    const [byCode, byPasskey] = doc.components.schemas.TwoFactorSignInBody.anyOf
    expect(byCode.required).toEqual(['challengeToken', 'code'])
    expect(byPasskey.required).toEqual(['challengeToken', 'method', 'credential'])
    // `passkey` since issue 15 (contract: `method` answers use totp, backup_code, email, passkey).
    expect(doc.components.schemas.Method.enum).toEqual(['totp', 'backup_code', 'email', 'passkey'])
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' })
  })
})
