/**
 * Independent peers: zbarimg decodes the QR code, oathtool computes the codes.
 * Both come from Debian (`.ci/run` installs oathtool, zbar-tools and librsvg2-bin).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

function requireTool(name: string, pkg: string) {
  try {
    execFileSync('which', [name])
  } catch {
    throw new Error(
      `${name} is missing: install it with 'apt-get install -y ${pkg}' (.ci/run does)`,
    )
  }
}

beforeAll(() => {
  requireTool('oathtool', 'oathtool')
  requireTool('zbarimg', 'zbar-tools')
  requireTool('rsvg-convert', 'librsvg2-bin')
})

describe('interop', () => {
  it('the QR SVG, rasterized and decoded by zbarimg, is exactly the otpauth URI', async () => {
    const t = await makeApp()
    const { token } = await t.signUp('grace.hopper+2fa@example.com')
    const setup = await t.call('POST', '/api/two-factor/setup', { token })
    const dir = mkdtempSync(join(tmpdir(), 'twofold-qr-'))
    writeFileSync(join(dir, 'qr.svg'), setup.body.qrCodeSvg)
    execFileSync('rsvg-convert', [
      '-w',
      '600',
      '-b',
      'white',
      '-o',
      join(dir, 'qr.png'),
      join(dir, 'qr.svg'),
    ])
    expect(readFileSync(join(dir, 'qr.png')).length).toBeGreaterThan(0)
    const decoded = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'qr.png')])
      .toString()
      .trim()
    expect(decoded).toBe(setup.body.otpauthUri)
  })

  it('codes computed by oathtool from the secret are accepted at enrollment and sign-in', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const setup = await t.call('POST', '/api/two-factor/setup', { token })
    const oath = (ms: number) =>
      execFileSync('oathtool', [
        '--totp',
        '--base32',
        '-N',
        new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
        setup.body.secret,
      ])
        .toString()
        .trim()
    const enroll = await t.call('POST', '/api/two-factor/setup/verify', {
      token,
      body: { code: oath(t.clock.now) },
    })
    expect(enroll.status).toBe(200)
    t.advance(30)
    const signIn = await t.call('POST', '/api/auth/sign-in/two-factor', {
      body: { challengeToken: await t.challenge(email), code: oath(t.clock.now) },
    })
    expect(signIn.status).toBe(200)
    expect(signIn.body.method).toBe('totp')
  })
})
