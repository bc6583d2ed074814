/**
 * Codes for better-auth's TOTP keys: 32-character strings whose UTF-8 bytes are the HMAC key
 * (`createOTP(secret)` in @better-auth/utils); its otpauth URI carries those bytes in base32.
 * Computed by otplib, as Twofold's are (HMAC-SHA1, 6 digits, 30-second steps: its defaults).
 */
import { ScureBase32Plugin } from 'otplib'
import { totpAt } from '../../api/lib/totp'

const base32 = new ScureBase32Plugin()

export const totpCode = (secret: string, nowMs: number) =>
  totpAt(base32.encode(new TextEncoder().encode(secret)), nowMs)

/** The key's text from the otpauth URI's `secret`. */
export const secretFromBase32 = (key: string) => new TextDecoder().decode(base32.decode(key))
