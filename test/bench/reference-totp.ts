/**
 * RFC 6238 codes for better-auth's TOTP keys, which are 32-character strings used as UTF-8 bytes
 * (`createOTP(secret)` in @better-auth/utils): HMAC-SHA1, 6 digits, 30-second steps, its defaults.
 */
import { createHmac } from 'node:crypto'

export function totpCode(secret: string, nowMs: number) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 30_000)))
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest()
  const offset = mac[mac.length - 1]! & 15
  const n = mac.readUInt32BE(offset) & 0x7fffffff
  return String(n % 1_000_000).padStart(6, '0')
}
