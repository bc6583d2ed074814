import { generate } from 'otplib'
import { describe, expect, it } from 'vitest'
import { matchTotp, totpAt } from '../../api/lib/totp'

// RFC 6238 Appendix B: seeds are the ASCII string "1234567890" repeated to the hash's length.
const seed = (length: number) => new TextEncoder().encode('1234567890'.repeat(7).slice(0, length))
const SEEDS = { sha1: seed(20), sha256: seed(32), sha512: seed(64) } as const

const VECTORS: Array<[number, string, string, string]> = [
  // time, SHA1, SHA256, SHA512
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
]

describe('RFC 6238 Appendix B', () => {
  for (const [time, ...codes] of VECTORS) {
    ;(['sha1', 'sha256', 'sha512'] as const).forEach((algorithm, i) => {
      it(`T=${time} ${algorithm.toUpperCase()} → ${codes[i]}`, async () => {
        const code = await generate({
          secret: SEEDS[algorithm],
          algorithm,
          digits: 8,
          epoch: time,
          period: 30,
        })
        expect(code).toBe(codes[i])
      })
    })
  }

  it('6-digit codes are the last six digits of the 8-digit ones (dynamic truncation mod 10^6)', async () => {
    for (const [time, sha1] of VECTORS) {
      const six = await generate({
        secret: SEEDS.sha1,
        algorithm: 'sha1',
        digits: 6,
        epoch: time,
        period: 30,
      })
      expect(six).toBe(sha1.slice(2))
    }
  })
})

describe('verification window with an injected clock', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' // base32 of "12345678901234567890"
  const T = 1_111_111_109_000

  it('the base32 secret gives the RFC SHA1 vector', async () => {
    expect(await generate({ secret, digits: 8, epoch: 1111111109 })).toBe('07081804')
  })

  it('accepts the codes of T-1, T and T+1 and reports their step', async () => {
    const step = Math.floor(T / 30_000)
    for (const offset of [-1, 0, 1]) {
      const code = await totpAt(secret, T + offset * 30_000)
      expect(await matchTotp(secret, code, T)).toBe(step + offset)
    }
  })

  it('refuses the codes of T-2 and T+2', async () => {
    for (const offset of [-2, 2]) {
      const code = await totpAt(secret, T + offset * 30_000)
      expect(await matchTotp(secret, code, T)).toBeNull()
    }
  })

  it('refuses malformed codes without throwing', async () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 456']) {
      expect(await matchTotp(secret, bad, T)).toBeNull()
    }
  })
})
