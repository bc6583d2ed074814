/**
 * Contract-shaped sample data for MSW handlers, stories and tests. Typed with the types the
 * UI derives from api/schemas.ts, so a schema change that breaks them fails `tsc`.
 */
import type {
  AdminUser,
  AuditEvent,
  Authenticator,
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  BackupCodeSlot,
  Challenge,
  DailyStatsDay,
  OutboxMessage,
  Policy,
  SetupResponse,
  Stats,
  TrustedDevice,
  TwoFactorStatus,
  User,
} from '../../ui/client/types'

/** The TOTP (or emailed) code every mock route accepts. */
export const VALID_CODE = '123456'
/** A backup code the mock sign-in and disable routes accept. */
export const VALID_BACKUP_CODE = 'ABCDE-12345'
export const PASSWORD = 'correct horse battery'
export const NOW = Date.now()

const days = (n: number) => new Date(NOW + n * 86_400_000).toISOString()

export const adaUser: User = {
  id: 'usr_ada',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'admin',
  twoFactorEnabled: true,
}

export const graceUser: User = {
  id: 'usr_grace',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  role: 'user',
  twoFactorEnabled: false,
}

/** Signed up after the policy required 2FA with no grace: fenced until they enroll. */
export const lateUser: User = {
  id: 'usr_late',
  email: 'linus@example.com',
  name: 'Linus Late',
  role: 'user',
  twoFactorEnabled: false,
}

export const session = { token: 'sess_mock_token', expiresAt: days(30) }

export const challenge: Challenge = {
  token: 'chl_mock_token',
  expiresAt: new Date(NOW + 5 * 60_000).toISOString(),
  methods: ['totp', 'backup_code', 'email'],
}

/** Ada has a passkey: the challenge offers it first. */
export const passkeyChallenge: Challenge = {
  ...challenge,
  methods: ['passkey', 'totp', 'backup_code', 'email'],
}

/** The credential id (base64url) of Ada's registered security key. */
export const PASSKEY_ID = 'eXViaWtleS01Yw'
/** The credential id of a passkey the browser creates in the stubs (not registered yet). */
export const NEW_PASSKEY_ID = 'bmV3LXBhc3NrZXk'

export const authenticators: Authenticator[] = [
  {
    id: 'auth_app',
    type: 'totp',
    name: 'Authenticator app',
    createdAt: days(-42),
    lastUsedAt: days(-1),
  },
  {
    id: 'auth_key',
    type: 'passkey',
    name: 'YubiKey 5C',
    createdAt: days(-20),
    lastUsedAt: null,
  },
]

const user = { id: 'dXNyX2FkYQ', name: 'ada@example.com', displayName: 'Ada Lovelace' }

/** `PublicKeyCredentialCreationOptionsJSON` as @simplewebauthn/server makes it. */
export const registrationOptions: PublicKeyCredentialCreationOptionsJSON = {
  challenge: 'cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ',
  rp: { name: 'Twofold', id: 'localhost' },
  user,
  pubKeyCredParams: [
    { alg: -8, type: 'public-key' },
    { alg: -7, type: 'public-key' },
    { alg: -257, type: 'public-key' },
  ],
  timeout: 300_000,
  attestation: 'none',
  excludeCredentials: [{ id: PASSKEY_ID, type: 'public-key', transports: ['usb', 'nfc'] }],
  authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
}

/** `PublicKeyCredentialRequestOptionsJSON`, allowing only Ada's passkey. */
export const authenticationOptions: PublicKeyCredentialRequestOptionsJSON = {
  challenge: 'YXV0aGVudGljYXRpb24tY2hhbGxlbmdl',
  rpId: 'localhost',
  timeout: 300_000,
  allowCredentials: [{ id: PASSKEY_ID, type: 'public-key', transports: ['usb', 'nfc'] }],
  userVerification: 'preferred',
}

/** What the browser answers to a registration (its fields as base64url). */
export function registrationCredential(id = NEW_PASSKEY_ID): RegistrationResponseJSON {
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      attestationObject: 'o2NmbXRkbm9uZQ',
      clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0',
      transports: ['internal'],
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  }
}

/** What the browser answers to an assertion with the given credential. */
export function authenticationCredential(id = PASSKEY_ID): AuthenticationResponseJSON {
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ',
      clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0',
      signature: 'MEUCIQ',
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'cross-platform',
  }
}

export const statusEnabled: TwoFactorStatus = {
  enabled: true,
  enabledAt: days(-42),
  pending: false,
  required: false,
  setupDeadline: null,
  backupCodes: { total: 10, remaining: 7, lastUsedAt: days(-3) },
  trustedDevices: 2,
}

export const statusDisabled: TwoFactorStatus = {
  enabled: false,
  enabledAt: null,
  pending: false,
  required: false,
  setupDeadline: null,
  backupCodes: { total: 0, remaining: 0, lastUsedAt: null },
  trustedDevices: 0,
}

export const statusRequired: TwoFactorStatus = {
  ...statusDisabled,
  required: true,
  setupDeadline: days(7),
}

/** Required, and the deadline has passed: the session is fenced until setup. */
export const statusRequiredNow: TwoFactorStatus = {
  ...statusDisabled,
  required: true,
  setupDeadline: days(-1),
}

export const setupResponse: SetupResponse = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  manualEntryKey: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
  otpauthUri:
    'otpauth://totp/Twofold:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Twofold',
  qrCodeSvg:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" shape-rendering="crispEdges">' +
    '<rect width="21" height="21" fill="#fff"/><path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0z' +
    'M9 9h3v3H9zM15 15h2v2h-2zM9 2h2v2H9zM2 9h2v2H2z" fill="#000"/></svg>',
}

export function makeBackupCodes(seed = 0): string[] {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
  return Array.from({ length: 10 }, (_, i) => {
    const n = (i + 1) * 7919 + seed * 104729
    const head = Array.from({ length: 5 }, (_, j) => letters[(n >> j) % letters.length]).join('')
    return `${head}-${String(n % 100000).padStart(5, '0')}`
  })
}

export function makeCodeSlots(used: number): BackupCodeSlot[] {
  return Array.from({ length: 10 }, (_, i) => ({
    id: `bc_${i + 1}`,
    createdAt: days(-42),
    usedAt: i < used ? days(-30 + i * 3) : null,
  }))
}

export const devices: TrustedDevice[] = [
  {
    id: 'dev_mac',
    label: 'Chrome on macOS',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Chrome/126.0',
    createdAt: days(-10),
    lastUsedAt: days(-1),
    expiresAt: days(20),
    current: true,
  },
  {
    id: 'dev_phone',
    label: 'Safari on iPhone',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1',
    createdAt: days(-25),
    lastUsedAt: null,
    expiresAt: days(5),
    current: false,
  },
]

const NONE = { totp: 0, passkey: 0 }

const NAMES = ['Alan Turing', 'Barbara Liskov', 'Claude Shannon', 'Donald Knuth', 'Edsger Dijkstra']

/** 32 users: the first is the signed-in admin; every third has 2FA; one is locked. */
export function makeAdminUsers(): AdminUser[] {
  const users: AdminUser[] = [
    {
      ...adaUser,
      twoFactorEnabledAt: days(-42),
      backupCodesRemaining: 7,
      lastSignInAt: days(0),
      lockedUntil: null,
      authenticators: { totp: 1, passkey: 1 },
    },
  ]
  for (let i = 1; i < 32; i++) {
    const name = `${NAMES[i % NAMES.length]} ${i}`
    const enabled = i % 3 === 0
    users.push({
      id: `usr_${String(i).padStart(3, '0')}`,
      email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
      name,
      role: i % 8 === 0 ? 'admin' : 'user',
      twoFactorEnabled: enabled,
      twoFactorEnabledAt: enabled ? days(-i) : null,
      backupCodesRemaining: enabled ? 10 - (i % 9) : 0,
      lastSignInAt: i % 5 === 0 ? null : days(-i / 2),
      lockedUntil: i === 4 ? new Date(NOW + 15 * 60_000).toISOString() : null,
      authenticators: enabled ? { totp: 1 + (i % 2), passkey: i % 4 === 0 ? 0 : 1 } : NONE,
    })
  }
  return users
}

export const policy: Policy = { enforce: 'off', gracePeriodDays: 14, emailFallback: true }

export function statsOf(users: AdminUser[]): Stats {
  const twoFactorUsers = users.filter((user) => user.twoFactorEnabled).length
  return {
    totalUsers: users.length,
    twoFactorUsers,
    adoptionRate: users.length ? twoFactorUsers / users.length : 0,
    last30Days: { enabled: 4, disabled: 1, failedAttempts: 9, lockouts: 1, backupCodesUsed: 2 },
  }
}

export const events: AuditEvent[] = [
  {
    id: 'evt_2',
    userId: adaUser.id,
    actorId: adaUser.id,
    action: 'two_factor_enabled',
    createdAt: days(-42),
    ip: '203.0.113.7',
    userAgent: devices[0].userAgent,
    metadata: {},
  },
  {
    id: 'evt_1',
    userId: adaUser.id,
    actorId: adaUser.id,
    action: 'sign_in',
    createdAt: days(-43),
    ip: '203.0.113.7',
    userAgent: devices[0].userAgent,
    metadata: { method: 'totp' },
  },
]

export const outbox: OutboxMessage[] = [
  {
    id: 'msg_1',
    to: adaUser.email,
    subject: 'Your Twofold sign-in code',
    text: `Your code is ${VALID_CODE}. It expires in 10 minutes.`,
    html: `<p>Your code is <strong>${VALID_CODE}</strong>. It expires in 10 minutes.</p>`,
    createdAt: days(0),
  },
]

/**
 * The last `count` UTC days (today included) of a year-long rollout, deterministic: adoption
 * climbs from 2 to 11 users, failed codes come in small numbers with a spike 6 days ago (and a
 * lockout with it), a backup code now and then, emailed codes most days.
 */
export function makeDailyStats(count: number, now = NOW): DailyStatsDay[] {
  const today = Math.floor(now / 86_400_000)
  const days: DailyStatsDay[] = []
  for (let ago = count - 1; ago >= 0; ago--) {
    const twoFactorUsers = Math.max(2, 11 - Math.floor(ago / 9))
    const enabled = ago % 9 === 0 && twoFactorUsers > 2 ? 1 : 0
    const spike = ago === 6
    days.push({
      date: new Date((today - ago) * 86_400_000).toISOString().slice(0, 10),
      twoFactorUsers,
      enabled,
      disabled: ago === 40 ? 1 : 0,
      failedAttempts: spike ? 14 : (ago * 7) % 4,
      lockouts: spike ? 1 : 0,
      backupCodesUsed: ago % 11 === 3 ? 1 : 0,
      emailCodesSent: (ago * 5) % 3,
    })
  }
  return days
}
