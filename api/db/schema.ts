/**
 * Drizzle tables. Times are integer milliseconds since the epoch (UTC). Tokens and codes are
 * stored only as hashes; TOTP secrets only as AES-GCM ciphertext.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const ms = (name: string) => integer(name, { mode: 'number' })

export const users = sqliteTable(
  'twofold_users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    /** Null for a host's user in embedded mode: the host keeps the password. */
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    /** When the current role started; the enforcement grace period may count from it. */
    roleSince: ms('role_since').notNull(),
    createdAt: ms('created_at').notNull(),
    lastSignInAt: ms('last_sign_in_at'),
  },
  (t) => [
    uniqueIndex('twofold_users_email_unique').on(t.email),
    // The admin listing pages newest first by (created_at, id): these indexes give that order
    // (and walk past an offset) without a sort. Search by fragment uses twofold_users_search
    // (FTS5, trigram), kept in step by triggers (drizzle/0002_admin_user_search.sql).
    index('twofold_users_role_idx').on(t.role, t.createdAt, t.id),
    index('twofold_users_created_idx').on(t.createdAt, t.id),
  ],
)

export const sessions = sqliteTable(
  'twofold_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    uniqueIndex('twofold_sessions_token_unique').on(t.tokenHash),
    index('twofold_sessions_user_idx').on(t.userId),
  ],
)

/**
 * A user's authenticators: authenticator apps (TOTP) and passkeys or security keys (WebAuthn).
 * Pending until confirmed (confirmedAt set); 2FA is enabled while at least one is confirmed.
 */
export const authenticators = sqliteTable(
  'twofold_authenticators',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ['totp', 'passkey'] }).notNull(),
    name: text('name').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    confirmedAt: ms('confirmed_at'),
    /** TOTP: the secret as AES-GCM ciphertext and the key that sealed it. */
    secretCiphertext: text('secret_ciphertext'),
    keyId: text('key_id'),
    /** TOTP: the last accepted time step; any step <= this one is refused (replay). */
    lastStep: integer('last_step').notNull().default(-1),
    /** Passkey: the credential id (base64url), its COSE public key (base64url), the counter. */
    credentialId: text('credential_id'),
    publicKey: text('public_key'),
    counter: integer('counter').notNull().default(0),
    /** Passkey: JSON array of transports, and the authenticator model's AAGUID. */
    transports: text('transports'),
    aaguid: text('aaguid'),
  },
  (t) => [
    index('twofold_authenticators_user_idx').on(t.userId, t.type),
    uniqueIndex('twofold_authenticators_credential_unique').on(t.credentialId),
    index('twofold_authenticators_confirmed_idx').on(t.confirmedAt),
  ],
)

/**
 * Pending WebAuthn challenges: the challenge's SHA-256 only, bound to a purpose and what it is
 * for (`bound_to`: the user for registration, the sign-in challenge, the step-up's session);
 * one per purpose and binding (asking again replaces it), used once by a conditional delete.
 */
export const webauthnChallenges = sqliteTable(
  'twofold_webauthn_challenges',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['registration', 'sign_in', 'step_up'] }).notNull(),
    boundTo: text('bound_to').notNull(),
    challengeHash: text('challenge_hash').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('twofold_webauthn_challenges_binding_unique').on(t.purpose, t.boundTo),
    index('twofold_webauthn_challenges_user_idx').on(t.userId),
  ],
)

/**
 * Step-up windows: a session (`key` `ses:<id>`; in embedded mode, the host's user, `usr:<id>`)
 * counts as recently verified until `verified_until`. Only a successful step-up writes one.
 */
export const stepUps = sqliteTable('twofold_step_ups', {
  key: text('key').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  verifiedUntil: ms('verified_until').notNull(),
})

export const backupCodes = sqliteTable(
  'twofold_backup_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC-SHA256 of the normalized code under a key derived from TWOFOLD_SECRET. */
    codeHash: text('code_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    usedAt: ms('used_at'),
  },
  (t) => [uniqueIndex('twofold_backup_codes_user_hash_unique').on(t.userId, t.codeHash)],
)

export const challenges = sqliteTable(
  'twofold_challenges',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    /** Codes tried (reserved before evaluation, so parallel guesses cannot exceed the limit). */
    attempts: integer('attempts').notNull().default(0),
    consumedAt: ms('consumed_at'),
    emailCodeHash: text('email_code_hash'),
    emailCodeExpiresAt: ms('email_code_expires_at'),
    emailCodeSentAt: ms('email_code_sent_at'),
  },
  (t) => [
    uniqueIndex('twofold_challenges_token_unique').on(t.tokenHash),
    index('twofold_challenges_user_idx').on(t.userId),
  ],
)

/** Fixed-window failure counters with a lock, keyed like `2fa:user:<id>` or `pw:ip:<ip>`. */
export const attemptCounters = sqliteTable('twofold_attempt_counters', {
  key: text('key').primaryKey(),
  count: integer('count').notNull().default(0),
  windowStart: ms('window_start').notNull(),
  lockedUntil: ms('locked_until'),
})

export const trustedDevices = sqliteTable(
  'twofold_trusted_devices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    label: text('label').notNull(),
    userAgent: text('user_agent'),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('twofold_trusted_devices_token_unique').on(t.tokenHash),
    index('twofold_trusted_devices_user_idx').on(t.userId),
  ],
)

export const auditEvents = sqliteTable(
  'twofold_audit_events',
  {
    id: text('id').primaryKey(),
    userId: text('user_id'),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    metadata: text('metadata').notNull().default('{}'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    index('twofold_audit_user_idx').on(t.userId, t.createdAt),
    index('twofold_audit_action_idx').on(t.action, t.createdAt),
    index('twofold_audit_created_idx').on(t.createdAt),
  ],
)

export const settings = sqliteTable('twofold_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ms('updated_at').notNull(),
})

/** Mail recorded by the default mailer (and readable in the demo). */
export const outbox = sqliteTable(
  'twofold_outbox',
  {
    id: text('id').primaryKey(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('twofold_outbox_created_idx').on(t.createdAt)],
)

export const schema = {
  users,
  sessions,
  authenticators,
  webauthnChallenges,
  stepUps,
  backupCodes,
  challenges,
  attemptCounters,
  trustedDevices,
  auditEvents,
  settings,
  outbox,
}
