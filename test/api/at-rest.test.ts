import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeApp } from './helpers'

/** Every byte the database keeps: the main file and its write-ahead log. */
function databaseBytes(file: string) {
  const parts = [file, `${file}-wal`].map((f) => {
    try {
      return readFileSync(f)
    } catch {
      return Buffer.alloc(0)
    }
  })
  return Buffer.concat(parts)
}

describe('secrets at rest', () => {
  it('after enrollment the database holds neither the TOTP secret nor any backup code in clear', async () => {
    const t = await makeApp()
    const { token } = await t.signUp()
    const { secret, backupCodes, setup } = await t.enroll(token)
    await t.client.execute('PRAGMA wal_checkpoint(FULL)')
    const bytes = databaseBytes(t.file)
    expect(bytes.length).toBeGreaterThan(0)
    const needles = [
      secret,
      setup.manualEntryKey,
      Buffer.from(secret).toString('base64'),
      token,
      ...backupCodes,
      ...backupCodes.map((c) => c.replace('-', '')),
    ]
    for (const needle of needles) {
      expect(
        bytes.includes(Buffer.from(needle)),
        `found ${needle.slice(0, 4)}… in the database`,
      ).toBe(false)
      expect(bytes.includes(Buffer.from(needle.toLowerCase()))).toBe(false)
    }
  })

  it('secrets decrypt only with the server key; a rotated key keeps old secrets working', async () => {
    const t = await makeApp()
    const { token, email } = await t.signUp()
    const { secret, backupCodes } = await t.enroll(token)
    const row = await t.client.execute(
      'select secret_ciphertext, key_id from twofold_authenticators',
    )
    expect(String(row.rows[0]!.key_id)).toMatch(/^[0-9a-f]{8}$/)

    // Same database, a new current key with the old one retired: sign-in still works.
    const { createApp } = await import('../../api/app')
    const { generateServerSecret } = await import('../../api/lib/crypto')
    const rotated = createApp({
      db: t.db,
      secret: generateServerSecret(),
      previousSecrets: [t.secret],
      now: () => t.clock.now + 30_000,
    })
    const signIn = await rotated.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse' }),
    })
    const challenge = (await signIn.json()).challenge.token
    const pass = await rotated.request('/api/auth/sign-in/two-factor', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challengeToken: challenge, code: await t.code(secret, 30) }),
    })
    expect(pass.status).toBe(200)
    const signIn2 = await rotated.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse' }),
    })
    const backup = await rotated.request('/api/auth/sign-in/two-factor', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        challengeToken: (await signIn2.json()).challenge.token,
        code: backupCodes[0],
      }),
    })
    expect(backup.status).toBe(200)
  })
})
