/**
 * A table of bad inputs against every route: never a 5xx, always the error shape.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { API_PATHS as P, apiPath } from '../../shared/api-paths'
import { expectErrorShape, makeApp, type TestApp } from './helpers'

const nope = { id: 'nope' }

const ROUTES: Array<[method: string, path: string]> = [
  ['POST', P.auth.signUp],
  ['POST', P.auth.signIn],
  ['POST', P.auth.signInTwoFactor],
  ['POST', P.auth.signInEmailCode],
  ['GET', P.auth.session],
  ['GET', P.twoFactor.status],
  ['POST', P.twoFactor.setup],
  ['POST', P.twoFactor.setupVerify],
  ['POST', P.twoFactor.disable],
  ['POST', P.twoFactor.backupCodes],
  ['GET', P.twoFactor.backupCodes],
  ['GET', P.twoFactor.trustedDevices],
  ['DELETE', apiPath(P.twoFactor.trustedDevice, nope)],
  ['DELETE', P.twoFactor.trustedDevices],
  ['GET', P.twoFactor.events],
  ['GET', P.admin.users],
  ['PATCH', apiPath(P.admin.user, nope)],
  ['POST', apiPath(P.admin.userReset, nope)],
  ['POST', apiPath(P.admin.userUnlock, nope)],
  ['GET', P.admin.policy],
  ['PUT', P.admin.policy],
  ['GET', P.admin.stats],
  ['GET', P.admin.audit],
  ['POST', P.auth.password],
  // Last: it revokes the admin session the other rows use.
  ['POST', P.auth.signOut],
]

const BODIES: Array<[label: string, raw: string, contentType?: string]> = [
  ['malformed JSON', '{"email": '],
  ['a JSON string', '"hello"'],
  ['a JSON array', '[1,2,3]'],
  ['null', 'null'],
  [
    'wrong types',
    '{"email": 42, "password": [], "code": {}, "challengeToken": true, "role": 7, "enforce": 1, "gracePeriodDays": "x"}',
  ],
  [
    'out-of-range values',
    '{"email":"x","password":"","code":"","challengeToken":"","role":"root","enforce":"some","gracePeriodDays":91}',
  ],
  [
    'huge strings',
    JSON.stringify({
      email: `${'a'.repeat(5000)}@x.com`,
      password: 'p'.repeat(5000),
      code: '9'.repeat(5000),
      challengeToken: 't'.repeat(5000),
    }),
  ],
  [
    'a prototype-pollution key',
    '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {}}}',
  ],
  ['text/plain', 'email=a', 'text/plain'],
  ['form data', 'email=a&password=b', 'application/x-www-form-urlencoded'],
  ['over 16 KiB', JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(17 * 1024) })],
]

const PAGED = ['?page=0', '?page=-1', '?page=1.5', '?pageSize=0', '?pageSize=101', '?pageSize=abc']
const QUERIES: Array<[path: string, query: string]> = [
  ...PAGED.map((q) => [P.admin.users, q] as [string, string]),
  ...PAGED.map((q) => [P.admin.audit, q] as [string, string]),
  [P.admin.users, '?twoFactor=maybe'],
  [P.admin.users, '?role=root'],
  [P.admin.users, '?q=' + 'x'.repeat(500)],
  [P.twoFactor.events, '?limit=0'],
  [P.twoFactor.events, '?limit=1000'],
]

describe('bad input never gives a 5xx', () => {
  let t: TestApp
  let admin: string
  beforeAll(async () => {
    t = await makeApp()
    admin = (await t.signUp('admin@example.com')).token
  })

  for (const [path, query] of QUERIES) {
    it(`GET ${path}${query.slice(0, 20)} is a 400 with issues`, async () => {
      const res = await t.call('GET', path + query, { token: admin })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.issues.length).toBeGreaterThan(0)
    })
  }

  // GET requests cannot carry a body; their bad input is the query table below.
  for (const [method, path] of ROUTES.filter(([m]) => m !== 'GET')) {
    for (const [label, raw, contentType] of BODIES) {
      for (const auth of ['none', 'admin'] as const) {
        it(`${method} ${path} with ${label} (${auth})`, async () => {
          const res = await t.call(method, path, {
            raw,
            token: auth === 'admin' ? admin : undefined,
            headers: contentType ? { 'content-type': contentType } : undefined,
          })
          expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200)
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
          if (res.status >= 400) expectErrorShape(res.body)
          if (label === 'over 16 KiB') expect(res.status).toBe(413)
        })
      }
    }
  }

  it('malformed JSON is a 400 VALIDATION_FAILED', async () => {
    const res = await t.call('POST', P.auth.signIn, { raw: '{"email":' })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
  })

  it('wrong types name the fields in issues', async () => {
    const res = await t.call('POST', P.auth.signIn, { body: { email: 42, password: [] } })
    expect(res.status).toBe(400)
    expect(new Set(res.body.error.issues.map((i: any) => i.path[0]))).toEqual(
      new Set(['email', 'password']),
    )
  })

  it('unknown routes and methods are 404 with the error shape', async () => {
    for (const [method, path] of [
      ['GET', '/api/unknown'],
      ['DELETE', P.auth.session],
      ['POST', '/api/health'],
      ['GET', '/api/admin/users/x/y/z'],
    ]) {
      const res = await t.call(method!, path!)
      expect(res.status).toBe(404)
      expectErrorShape(res.body)
    }
  })
})
