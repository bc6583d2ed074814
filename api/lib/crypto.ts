/**
 * WebCrypto (and noble's SHA-256 for token hashes), so the same code runs on Node and in workerd.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64(value: string): Uint8Array<ArrayBuffer> {
  const normalized = value.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(normalized + '='.repeat((4 - (normalized.length % 4)) % 4))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let hex = ''
  for (const byte of view) hex += byte.toString(16).padStart(2, '0')
  return hex
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length))
}

/** A bearer token with 256 random bits. */
export const randomToken = () => toBase64Url(randomBytes(32))

/** A short random id with a readable prefix (not secret). */
export const newId = (prefix: string) => `${prefix}_${toBase64Url(randomBytes(12))}`

/**
 * SHA-256 of a token, in hex. Computed in JS (noble, already in the bundle for otplib): a
 * WebCrypto digest is an asynchronous job (on Node a thread-pool hop) costing more than hashing
 * the few dozen bytes of a token, and this runs several times on every sign-in.
 */
export async function sha256Hex(value: string): Promise<string> {
  return bytesToHex(sha256(encoder.encode(value)))
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let diff = left.length ^ right.length
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    diff |= (left[i % left.length] ?? 0) ^ (right[i % right.length] ?? 0)
  }
  return diff === 0
}

// ---- passwords: salted PBKDF2-SHA256, within Workers' 100,000-iteration ceiling ----------

export const PBKDF2_ITERATIONS = 100_000

async function pbkdf2(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  )
  return new Uint8Array(bits)
}

export async function hashPassword(
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(16)
  const hash = await pbkdf2(password, salt, iterations)
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return false
  const computed = await pbkdf2(password, fromBase64(salt), Number(iterations))
  return timingSafeEqual(toBase64Url(computed), hash)
}

// ---- keys derived from TWOFOLD_SECRET ---------------------------------------------------

export interface KeyRing {
  /** Encrypts under the current key; the key id is stored beside the ciphertext. */
  encrypt(plaintext: string, associatedData: string): Promise<{ keyId: string; ciphertext: string }>
  decrypt(ciphertext: string, keyId: string, associatedData: string): Promise<string>
  /** Keyed hash (HMAC-SHA256, hex) under the current key, for codes looked up by value. */
  hmac(purpose: string, value: string): Promise<string>
  /** The same hash under the current and every retired key (lookups during a rotation). */
  hmacAll(purpose: string, value: string): Promise<string[]>
}

async function hkdf(
  master: Uint8Array<ArrayBuffer>,
  info: string,
  usage: 'AES-GCM' | 'HMAC',
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveKey'])
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: encoder.encode('twofold'),
    info: encoder.encode(info),
  }
  return usage === 'AES-GCM'
    ? crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ])
    : crypto.subtle.deriveKey(params, base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, [
        'sign',
      ])
}

/** The key id names a secret without revealing it: the first 8 hex digits of its SHA-256. */
async function keyIdOf(master: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', master)).slice(0, 8)
}

export function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(secret.trim())
  if (bytes.length < 32) throw new Error('TWOFOLD_SECRET must be at least 32 bytes, base64-encoded')
  return bytes
}

/**
 * Builds the key ring from the current secret and any retired ones (still accepted for
 * decryption, so secrets can be rotated without locking anyone out). Keys are derived lazily,
 * once, on first use.
 */
export function createKeyRing(secret: string, previousSecrets: string[] = []): KeyRing {
  const master = decodeSecret(secret)
  const retired = previousSecrets.map(decodeSecret)
  let encryption: Promise<{ currentKeyId: string; keys: Map<string, CryptoKey> }> | undefined
  const encryptionKeys = () =>
    (encryption ??= (async () => {
      const keys = new Map<string, CryptoKey>()
      for (const bytes of [master, ...retired]) {
        const keyId = await keyIdOf(bytes)
        if (!keys.has(keyId))
          keys.set(keyId, await hkdf(bytes, 'twofold/totp-secret/v1', 'AES-GCM'))
      }
      return { currentKeyId: await keyIdOf(master), keys }
    })())
  const hmacKeys = new Map<string, Promise<CryptoKey>>()
  const hmacKey = (purpose: string, index = 0) => {
    const id = `${index}:${purpose}`
    let key = hmacKeys.get(id)
    if (!key)
      hmacKeys.set(id, (key = hkdf([master, ...retired][index]!, `twofold/${purpose}/v1`, 'HMAC')))
    return key
  }
  const sign = async (key: Promise<CryptoKey>, value: string) =>
    toHex(await crypto.subtle.sign('HMAC', await key, encoder.encode(value)))

  return {
    async encrypt(plaintext, associatedData) {
      const { currentKeyId, keys } = await encryptionKeys()
      const iv = randomBytes(12)
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(associatedData) },
        keys.get(currentKeyId)!,
        encoder.encode(plaintext),
      )
      return {
        keyId: currentKeyId,
        ciphertext: `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`,
      }
    },
    async decrypt(payload, keyId, associatedData) {
      const key = (await encryptionKeys()).keys.get(keyId)
      if (!key)
        throw new Error(`No key with id ${keyId}: add the retired TWOFOLD_SECRET to the key ring`)
      const [iv, data] = payload.split('.')
      const plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv!), additionalData: encoder.encode(associatedData) },
        key,
        fromBase64(data!),
      )
      return decoder.decode(plaintext)
    },
    hmac: (purpose, value) => sign(hmacKey(purpose), value),
    hmacAll: (purpose, value) =>
      Promise.all([master, ...retired].map((_, index) => sign(hmacKey(purpose, index), value))),
  }
}

/** A fresh TWOFOLD_SECRET: 32 random bytes, base64. */
export function generateServerSecret(): string {
  return btoa(String.fromCharCode(...randomBytes(32)))
}
