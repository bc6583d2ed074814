/**
 * A client generated from GET /api/openapi.json with openapi-typescript, used through
 * openapi-fetch: a call to every operation, with its request body where it has one, must
 * typecheck; bodies the server refuses must not.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import openapiTS, { astToString } from 'openapi-typescript'
import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSC = join(
  dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin/tsc',
)

/** What a client passes to each operation (by operationId): params and body, as TypeScript. */
const CALLS: Record<string, string> = {
  health: '{}',
  signUp: "{ body: { email: 'ada@example.com', password: 'correct horse', name: 'Ada' } }",
  signIn: "{ body: { email: 'ada@example.com', password: 'correct horse' } }",
  signInTwoFactor:
    "{ body: { challengeToken: 'tok', code: '123456', method: 'totp', rememberDevice: true } }",
  sendEmailCode: "{ body: { challengeToken: 'tok' } }",
  signInPasskeyOptions: "{ body: { challengeToken: 'tok' } }",
  signOut: '{}',
  getSession: '{}',
  changePassword: "{ body: { currentPassword: 'old one', newPassword: 'a new password' } }",
  getTwoFactor: '{}',
  startTwoFactorSetup: '{}',
  verifyTwoFactorSetup: "{ body: { code: '123456' } }",
  disableTwoFactor: "{ body: { code: '7KQ2M-X9RTA' } }",
  regenerateBackupCodes: "{ body: { code: '123456' } }",
  listBackupCodes: '{}',
  listAuthenticators: '{}',
  addAuthenticator: "{ body: { type: 'totp', name: 'Backup phone' } }",
  verifyAuthenticator: "{ params: { path: { id: 'aut_1' } }, body: { code: '123456' } }",
  renameAuthenticator: "{ params: { path: { id: 'aut_1' } }, body: { name: 'Work phone' } }",
  removeAuthenticator: "{ params: { path: { id: 'aut_1' } } }",
  passkeyRegistrationOptions: '{}',
  registerPasskey:
    "{ body: { name: 'YubiKey', credential: { id: 'cred', rawId: 'cred', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: 'e30', attestationObject: 'o' } } } }",
  stepUp: "{ body: { code: '123456' } }",
  stepUpPasskeyOptions: '{}',
  listTrustedDevices: '{}',
  revokeTrustedDevice: "{ params: { path: { id: 'dev_1' } } }",
  revokeAllTrustedDevices: '{}',
  listOwnEvents: '{ params: { query: { limit: 10 } } }',
  listUsers:
    "{ params: { query: { q: 'ada', twoFactor: 'enabled', role: 'user', page: 1, pageSize: 25 } } }",
  setUserRole: "{ params: { path: { id: 'usr_1' } }, body: { role: 'admin' } }",
  resetUserTwoFactor: "{ params: { path: { id: 'usr_1' } }, body: { reason: 'Lost phone' } }",
  unlockUser: "{ params: { path: { id: 'usr_1' } } }",
  getPolicy: '{}',
  setPolicy: "{ body: { enforce: 'all', gracePeriodDays: 7 } }",
  getStats: '{}',
  getDailyStats: '{ params: { query: { days: 30 } } }',
  listAuditEvents: "{ params: { query: { userId: 'usr_1', action: 'sign_in', page: 2 } } }",
  listOutbox: '{ params: { query: { page: 1, pageSize: 10 } } }',
}

/** Must not compile: what the server would refuse, or reading a field that may be absent. */
const REFUSED = `
// @ts-expect-error enforce is required
client.PUT('/api/admin/policy', { body: { gracePeriodDays: 7 } })
// @ts-expect-error gracePeriodDays is a number
client.PUT('/api/admin/policy', { body: { enforce: 'all', gracePeriodDays: '7' } })
// @ts-expect-error role is user or admin
client.PATCH('/api/admin/users/{id}', { params: { path: { id: 'u' } }, body: { role: 'root' } })
// @ts-expect-error an error code outside the enum
const unknownCode: components['schemas']['ErrorCode'] = 'NO_SUCH_CODE'

export async function signInAnswer() {
  const { data } = await client.POST('/api/auth/sign-in', {
    body: { email: 'ada@example.com', password: 'correct horse' },
  })
  if (!data) return
  // @ts-expect-error only the two_factor_required answer has a challenge
  data.challenge.token
  if (data.status === 'two_factor_required') return data.challenge.token
  return data.session.token
}
`

function clientSource(doc: any) {
  const lines = [
    "import createClient from 'openapi-fetch'",
    "import type { components, paths } from './api'",
    '',
  ]
  lines.push("const client = createClient<paths>({ baseUrl: 'http://localhost:8787' })", '')
  lines.push('export async function everyOperation() {')
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      lines.push(`  await client.${method.toUpperCase()}('${path}', ${CALLS[op.operationId]})`)
    }
  }
  lines.push('}', '', REFUSED, 'void unknownCode')
  return lines.join('\n')
}

describe('a client generated with openapi-typescript', () => {
  it('typechecks a call to every operation with its body', async () => {
    const t = await makeApp()
    const doc = (await t.call('GET', '/api/openapi.json')).body
    const operationIds = Object.values<Record<string, any>>(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    )
    expect(operationIds.sort()).toEqual(Object.keys(CALLS).sort())

    const types = astToString(await openapiTS(doc))
    // Resolves openapi-fetch from the project's node_modules.
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true })
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/openapi-client-'))
    try {
      writeFileSync(join(dir, 'api.d.ts'), types)
      writeFileSync(join(dir, 'client.ts'), clientSource(doc))
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'Bundler',
            lib: ['ES2022', 'DOM'],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ['client.ts'],
        }),
      )
      const result = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
        cwd: dir,
      }).then(
        () => ({ ok: true, output: '' }),
        (error: { stdout?: string; stderr?: string }) => ({
          ok: false,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      )
      expect(result.output).toBe('')
      expect(result.ok).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
