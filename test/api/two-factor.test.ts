import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

describe('TOTP enrollment', () => {
  it('setup returns secret, grouped key, Key URI and an SVG QR code; the pending secret does nothing', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp('ada@example.com')
    const setup = await t.call('POST', '/api/two-factor/setup', { token })
    expect(setup.status).toBe(200)
    const { secret, manualEntryKey, otpauthUri, qrCodeSvg } = setup.body
    expect(secret).toMatch(/^[A-Z2-7]{32}$/) // 160 bits
    expect(manualEntryKey).toBe(secret.match(/.{4}/g).join(' '))
    const uri = new URL(otpauthUri)
    expect(`${uri.protocol}//${uri.host}${uri.pathname}`).toBe(
      'otpauth://totp/Twofold%20Test:ada%40example.com',
    )
    expect(uri.searchParams.get('secret')).toBe(secret)
    expect(uri.searchParams.get('issuer')).toBe('Twofold Test')
    // SHA1, 6 digits, 30 s: stated or left at the Key URI defaults.
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1')
    expect(uri.searchParams.get('digits') ?? '6').toBe('6')
    expect(uri.searchParams.get('period') ?? '30').toBe('30')
    expect(qrCodeSvg).toMatch(/^<svg/)
    const status = await t.call('GET', '/api/two-factor', { token })
    expect(status.body).toMatchObject({ enabled: false, pending: true })
    // Signing in still needs no second factor while setup is pending.
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.status).toBe('authenticated')
  })

  it('a new setup replaces the pending secret', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const first = await t.call('POST', '/api/two-factor/setup', { token })
    const second = await t.call('POST', '/api/two-factor/setup', { token })
    expect(second.body.secret).not.toBe(first.body.secret)
    const stale = await t.call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: await t.code(first.body.secret) },
    })
    expect(stale.status).toBe(401)
    expect(stale.body.error.code).toBe('INVALID_CODE')
  })

  it('confirming returns 10 backup codes once; then setup is a conflict', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    expect(
      (await t.call('POST', '/api/two-factor/setup/verify', { token, body: { code: '123456' } }))
        .body.error.code,
    ).toBe('NO_PENDING_SETUP')
    const { backupCodes } = await t.enroll(token)
    expect(backupCodes).toHaveLength(10)
    for (const code of backupCodes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/)
    expect(new Set(backupCodes).size).toBe(10)
    const again = await t.call('POST', '/api/two-factor/setup', { token })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('ALREADY_ENABLED')
    const status = await t.call('GET', '/api/two-factor', { token })
    expect(status.body).toMatchObject({
      enabled: true,
      pending: false,
      enabledAt: expect.any(String),
      backupCodes: { total: 10, remaining: 10, lastUsedAt: null },
    })
    const list = await t.call('GET', '/api/two-factor/backup-codes', { token })
    expect(list.body.codes).toHaveLength(10)
    expect(Object.keys(list.body.codes[0]).sort()).toEqual(['createdAt', 'id', 'usedAt'])
  })

  it('a wrong confirming code is refused', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const setup = await t.call('POST', '/api/two-factor/setup', { token })
    const wrong = await t.call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: await t.code(setup.body.secret, 120) },
    })
    expect(wrong.status).toBe(401)
  })
})

describe('sign-in challenge', () => {
  it('password step returns a challenge; a TOTP code of a later step signs in', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.status).toBe('two_factor_required')
    expect(signIn.body.challenge).toEqual({
      token: expect.any(String),
      expiresAt: new Date(t.clock.now + 300_000).toISOString(),
      methods: ['totp', 'backup_code', 'email'],
    })
    expect(signIn.cookies.some((c) => c.startsWith('twofold_session='))).toBe(false)
    // The enrollment code's step is used: the same code is refused at sign-in.
    const confirming = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: signIn.body.challenge.token, code: await t.code(secret) },
    })
    expect(confirming.status).toBe(401)
    expect(confirming.body.error).toMatchObject({ code: 'INVALID_CODE', attemptsRemaining: 4 })
    t.advance(30)
    const ok = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: signIn.body.challenge.token, code: await t.code(secret) },
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      status: 'authenticated',
      method: 'totp',
      user: { email, twoFactorEnabled: true },
    })
    expect(
      (await t.call('GET', '/api/auth/session', { token: ok.body.session.token })).status,
    ).toBe(200)
    // Single use: the challenge is spent.
    t.advance(30)
    const reuse = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: signIn.body.challenge.token, code: await t.code(secret) },
    })
    expect(reuse.body.error.code).toBe('INVALID_CHALLENGE')
  })

  it('refuses a replayed step and any earlier step', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(60)
    const code = await t.code(secret)
    const earlier = await t.code(secret, -30)
    const first = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code },
    })
    expect(first.status).toBe(200)
    const replay = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code },
    })
    expect(replay.status).toBe(401)
    const older = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: earlier },
    })
    expect(older.status).toBe(401)
    expect(older.body.error.code).toBe('INVALID_CODE')
  })

  it('a challenge token is never a session, and a session token never a challenge', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    await t.enroll(token)
    const challengeToken = await t.challenge(email)
    expect((await t.call('GET', '/api/auth/session', { token: challengeToken })).status).toBe(401)
    expect((await t.call('GET', '/api/two-factor', { token: challengeToken })).status).toBe(401)
    const asChallenge = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: token, code: '123456' },
    })
    expect(asChallenge.body.error.code).toBe('INVALID_CHALLENGE')
  })

  it('a challenge expires after 5 minutes', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    const challengeToken = await t.challenge(email)
    t.advance(301)
    const res = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken, code: await t.code(secret) },
    })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('INVALID_CHALLENGE')
  })

  it('a challenge allows 5 wrong codes, then even the right one is refused', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret } = await t.enroll(token)
    t.advance(30)
    const challengeToken = await t.challenge(email)
    const remaining: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await t.call('POST', '/api/auth/sign-in/two-factor', {
        body: { challengeToken, code: '000000' },
      })
      remaining.push(res.body.error.attemptsRemaining)
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0])
    const right = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken, code: await t.code(secret) },
    })
    expect(right.status).toBe(401)
    expect(right.body.error.code).toBe('INVALID_CHALLENGE')
  })

  it('a malformed code is a 400 and costs no attempt', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    await t.enroll(token)
    const challengeToken = await t.challenge(email)
    for (const code of ['12345', 'abcdef', '1234567', 'ZZZZ-ZZZZ']) {
      const res = await t.call('POST', '/api/auth/sign-in/two-factor', {
        body: { challengeToken, code },
      })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
    const wrong = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken, code: '000000' },
    })
    expect(wrong.body.error.attemptsRemaining).toBe(4)
  })
})

describe('backup codes', () => {
  it('sign in with a backup code, normalized; single use; usedAt listed; remaining counted', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { backupCodes } = await t.enroll(token)
    const messy = ` ${backupCodes[0]!.toLowerCase().replace('-', ' - ')} `
    const ok = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: messy },
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 })
    const again = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: backupCodes[0] },
    })
    expect(again.status).toBe(401)
    expect(again.body.error.code).toBe('INVALID_CODE')
    const compact = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: backupCodes[1]!.replace('-', '') },
    })
    expect(compact.body.backupCodesRemaining).toBe(8)
    const list = await t.call('GET', '/api/two-factor/backup-codes', { token })
    // Listed in the order they were shown: the first two slots are the used ones.
    expect(list.body.codes.map((c: any) => c.usedAt !== null)).toEqual([
      true,
      true,
      ...Array(8).fill(false),
    ])
    const status = await t.call('GET', '/api/two-factor', { token })
    expect(status.body.backupCodes).toEqual({
      total: 10,
      remaining: 8,
      lastUsedAt: new Date(t.clock.now).toISOString(),
    })
  })

  it('regenerating needs a TOTP code and retires the old set', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret, backupCodes } = await t.enroll(token)
    const withBackup = await t.call('POST', '/api/two-factor/backup-codes', {
      token,
      body: { code: backupCodes[0] },
    })
    expect(withBackup.status).toBe(400)
    t.advance(30)
    const fresh = await t.call('POST', '/api/two-factor/backup-codes', {
      token,
      body: { code: await t.code(secret) },
    })
    expect(fresh.status).toBe(200)
    expect(fresh.body.backupCodes).toHaveLength(10)
    const old = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: backupCodes[1] },
    })
    expect(old.status).toBe(401)
    const ok = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: fresh.body.backupCodes[0] },
    })
    expect(ok.status).toBe(200)
  })

  it('disable needs a TOTP or backup code and removes factor and codes', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { backupCodes } = await t.enroll(token)
    const wrong = await t.call('POST', '/api/two-factor/disable', {
      token,
      body: { code: 'AAAAA-AAAAA' },
    })
    expect(wrong.status).toBe(401)
    const ok = await t.call('POST', '/api/two-factor/disable', {
      token,
      body: { code: backupCodes[3] },
    })
    expect(ok.body).toEqual({ enabled: false })
    const rows = await t.client.execute(
      'select (select count(*) from twofold_authenticators) f, (select count(*) from twofold_backup_codes) b',
    )
    expect(rows.rows[0]).toMatchObject({ f: 0, b: 0 })
    const signIn = await t.call('POST', '/api/auth/sign-in', {
      body: { email, password: 'correct horse' },
    })
    expect(signIn.body.status).toBe('authenticated')
    const notEnabled = await t.call('POST', '/api/two-factor/disable', {
      token,
      body: { code: '123456' },
    })
    expect(notEnabled.body.error.code).toBe('NOT_ENABLED')
  })
})
