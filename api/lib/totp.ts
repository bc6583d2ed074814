import { generate, generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'

export const TOTP_PERIOD = 30
export const TOTP_DIGITS = 6

/** A new 160-bit secret, base32. */
export const newTotpSecret = () => generateSecret({ length: 20 })

/** The secret in groups of four, as people type it into an authenticator app. */
export const groupKey = (secret: string) => secret.match(/.{1,4}/g)!.join(' ')

export function keyUri(secret: string, issuer: string, account: string): string {
  return generateURI({
    issuer,
    label: account,
    secret,
    algorithm: 'sha1',
    digits: 6,
    period: TOTP_PERIOD,
  })
}

/** An SVG document encoding the URI (works in workerd, unlike data URLs that need canvas). */
export function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

export const isTotpShaped = (code: string) => /^\d{6}$/.test(code)

/**
 * Checks a code against the previous, current and next step. Returns the matched step (the
 * caller must still claim it atomically so it can never be used twice) or null.
 */
export async function matchTotp(
  secret: string,
  code: string,
  nowMs: number,
): Promise<number | null> {
  if (!isTotpShaped(code)) return null
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
  })
  return result.valid ? (result as { timeStep: number }).timeStep : null
}

/** For tests and tools: the code of a given moment. */
export const totpAt = (secret: string, nowMs: number) =>
  generate({ secret, epoch: Math.floor(nowMs / 1000), period: TOTP_PERIOD, digits: TOTP_DIGITS })
