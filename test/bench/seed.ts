/**
 * Seeds the bench database directly (no sign-up, so no PBKDF2 per user): one precomputed
 * password hash, TOTP secrets encrypted with the app's own key ring, challenges and sessions
 * stored as sha256 token hashes exactly as issueChallenge and createSession store them.
 */
import type { Client } from '@libsql/client'
import type { Db } from '../../api/db/client'
import { authenticators, backupCodes, challenges, sessions, users } from '../../api/db/schema'
import { generateBackupCode, normalizeBackupCode } from '../../api/lib/backup-codes'
import { hashPassword, newId, randomToken, sha256Hex, type KeyRing } from '../../api/lib/crypto'
import { newTotpSecret } from '../../api/lib/totp'

export const PASSWORD = 'correct horse battery'
let passwordHash: Promise<string> | undefined
const hashOnce = () => (passwordHash ??= hashPassword(PASSWORD))

let serial = 0
const CHUNK = 500

async function insertChunked<T>(db: Db, rows: T[], insert: (chunk: T[]) => unknown) {
  const statements = []
  for (let i = 0; i < rows.length; i += CHUNK) statements.push(insert(rows.slice(i, i + CHUNK)))
  if (statements.length) await db.batch(statements as [never, ...never[]])
}

interface SeedOptions {
  /** Seed a TOTP factor (enabled) and a fresh challenge. */
  totp?: boolean
  /** Seed this many unused backup codes per user. */
  backupCodes?: number
  /** Store the challenge token itself instead of its sha256 (the ceiling route's rows). */
  plainChallengeHash?: boolean
  challenge?: boolean
}

export interface SeededUser {
  id: string
  email: string
  secret?: string
  challengeToken?: string
  backupCodes?: string[]
}

/** Enrolled users, each with a live challenge (and backup codes when asked). */
export async function seedUsers(db: Db, keys: KeyRing, n: number, options: SeedOptions) {
  const now = Date.now()
  const hash = await hashOnce()
  const seeded: SeededUser[] = []
  const userRows = []
  const factorRows = []
  const challengeRows = []
  const codeRows = []
  for (let i = 0; i < n; i++) {
    const id = newId('usr')
    const email = `bench${++serial}.${now.toString(36)}@example.org`
    userRows.push({ id, email, passwordHash: hash, roleSince: now, createdAt: now })
    const user: SeededUser = { id, email }
    if (options.totp !== false) {
      const secret = newTotpSecret()
      const { keyId, ciphertext } = await keys.encrypt(secret, `totp:${id}`)
      factorRows.push({
        id: newId('aut'),
        userId: id,
        type: 'totp' as const,
        name: 'Authenticator app',
        secretCiphertext: ciphertext,
        keyId,
        createdAt: now,
        confirmedAt: now,
      })
      user.secret = secret
    }
    if (options.challenge !== false) {
      const token = randomToken()
      const tokenHash = options.plainChallengeHash ? token : await sha256Hex(token)
      challengeRows.push({
        id: newId('chl'),
        userId: id,
        tokenHash,
        createdAt: now,
        expiresAt: now + 600_000,
      })
      user.challengeToken = token
    }
    if (options.backupCodes) {
      user.backupCodes = []
      for (let k = 0; k < options.backupCodes; k++) {
        const code = generateBackupCode()
        const codeHash = await keys.hmac('backup-code', `${id}:${normalizeBackupCode(code)}`)
        codeRows.push({ id: newId('bkc'), userId: id, codeHash, createdAt: now })
        user.backupCodes.push(code)
      }
    }
    seeded.push(user)
  }
  await insertChunked(db, userRows, (c) => db.insert(users).values(c))
  await insertChunked(db, factorRows, (c) => db.insert(authenticators).values(c))
  await insertChunked(db, challengeRows, (c) => db.insert(challenges).values(c))
  await insertChunked(db, codeRows, (c) => db.insert(backupCodes).values(c))
  return seeded
}

const FIRST = [
  'ada',
  'alan',
  'grace',
  'linus',
  'barbara',
  'ken',
  'margaret',
  'dennis',
  'edsger',
  'radia',
]
const LAST = [
  'lovelace',
  'turing',
  'hopper',
  'torvalds',
  'liskov',
  'thompson',
  'hamilton',
  'ritchie',
]
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'corp.example', 'uni.example.edu']

/**
 * A directory of `total` users for the admin listing, generated in SQL (one minute apart; user i
 * is first[i % 10].last[i / 10 % 8]i@domain, named unless i % 3 = 0; 60% with a factor, 10% with
 * ten backup codes, three used), and an admin with a live session, whose token is returned.
 */
export async function seedDirectory(db: Db, client: Client, total: number) {
  const hash = await hashOnce()
  const start = Date.now() - total * 60_000
  const series = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${total - 1})`
  const pick = (list: string[], index: string) =>
    `json_extract('${JSON.stringify(list)}', '$[' || (${index}) || ']')`
  const first = pick(FIRST, 'i % 10')
  const last = pick(LAST, '(i / 10) % 8')
  const cap = (x: string) => `upper(substr(${x}, 1, 1)) || substr(${x}, 2)`
  const id = `printf('usr_dir%06d', i)`
  const at = `${start} + i * 60000`
  await client.batch([
    {
      sql: `${series} INSERT INTO twofold_users (id, email, name, password_hash, role, role_since, created_at)
        SELECT ${id}, ${first} || '.' || ${last} || i || '@' || ${pick(DOMAINS, 'i % 5')},
          CASE WHEN i % 3 = 0 THEN NULL ELSE ${cap(first)} || ' ' || ${cap(last)} END, ?, 'user', ${at}, ${at} FROM n`,
      args: [hash],
    },
    `${series} INSERT INTO twofold_authenticators (id, user_id, type, name, secret_ciphertext, key_id, last_step, created_at, confirmed_at)
      SELECT 'aut_dir' || i, ${id}, 'totp', 'Authenticator app', 'x.y', 'bench', -1, ${at}, ${at} FROM n WHERE i % 5 < 3`,
    `${series}, k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)
      INSERT INTO twofold_backup_codes (id, user_id, code_hash, created_at, used_at)
      SELECT 'bkc_dir' || i || '_' || j, ${id}, i || ':' || j, ${at}, CASE WHEN j < 3 THEN ${at} END
      FROM n, k WHERE i % 10 = 0`,
  ])

  return seedAdminSession(db)
}

/** A new admin with a live session; returns the session token. */
export async function seedAdminSession(db: Db) {
  const hash = await hashOnce()
  const now = Date.now()
  const adminId = newId('usr')
  const token = randomToken()
  await db.insert(users).values({
    id: adminId,
    email: `admin.${now}.${++serial}@example.net`,
    passwordHash: hash,
    role: 'admin',
    roleSince: now,
    createdAt: now,
  })
  await db.insert(sessions).values({
    id: newId('ses'),
    userId: adminId,
    tokenHash: await sha256Hex(token),
    createdAt: now,
    expiresAt: now + 3_600_000,
  })
  return token
}

/**
 * One action per 20 events: 35% of them feed the daily figures (two_factor_enabled and _disabled,
 * admin resets, failed second steps, lockouts, backup codes, emailed codes), as in a busy rollout.
 */
const EVENT_MIX = [
  ...['sign_in', 'sign_in', 'sign_in', 'sign_in', 'sign_up', 'sign_in_failed'],
  ...['two_factor_challenge_passed', 'two_factor_challenge_passed', 'two_factor_challenge_passed'],
  ...['two_factor_challenge_failed', 'two_factor_challenge_failed', 'email_code_sent'],
  ...['trusted_device_added', 'two_factor_enabled', 'backup_code_used', 'account_locked'],
  ...[
    'two_factor_disabled',
    'admin_two_factor_reset',
    'password_changed',
    'backup_codes_regenerated',
  ],
]

/**
 * `total` audit events of the directory's users, generated in SQL and spread evenly over the last
 * `days` days (so a million over a year is ~2,700 a day), with the actions of {@link EVENT_MIX}.
 */
export async function seedAuditLog(client: Client, total: number, days: number, users: number) {
  const end = Date.now()
  const step = Math.floor((days * 86_400_000) / total)
  const series = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${total - 1})`
  const user = `printf('usr_dir%06d', (i * 7) % ${users})`
  await client.execute(
    `${series} INSERT INTO twofold_audit_events (id, user_id, actor_id, action, ip, user_agent, metadata, created_at)
      SELECT printf('evt_bench%07d', i), ${user}, ${user},
        json_extract('${JSON.stringify(EVENT_MIX)}', '$[' || ((i * 7919) % ${EVENT_MIX.length}) || ']'),
        '203.0.113.7', 'Mozilla/5.0 (bench)', '{}', ${end} - ${total} * ${step} + i * ${step} FROM n`,
  )
}
