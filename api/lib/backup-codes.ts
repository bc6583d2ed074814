import { randomBytes } from './crypto'

/** Digits 2–9 and letters without I and O: 32 symbols, 5 bits each; 10 symbols make 50 bits. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
export const BACKUP_CODE_COUNT = 10
const CODE_LENGTH = 10

/** A code like `7KQ2M-X9RTA`, from a CSPRNG with no modulo bias (32 divides 256). */
export function generateBackupCode(): string {
  const bytes = randomBytes(CODE_LENGTH)
  let code = ''
  for (const byte of bytes) code += ALPHABET[byte % 32]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

export const generateBackupCodes = () =>
  Array.from({ length: BACKUP_CODE_COUNT }, generateBackupCode)

/** Case, spaces and dashes do not matter. */
export const normalizeBackupCode = (input: string) => input.replace(/[\s-]+/g, '').toUpperCase()

export const isBackupCodeShaped = (normalized: string) =>
  normalized.length === CODE_LENGTH && [...normalized].every((c) => ALPHABET.includes(c))
