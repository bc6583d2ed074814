/**
 * The HTTP contract (shared/api-contract.md) as zod schemas. Routes validate with them, the
 * OpenAPI document is generated from them, and the UI derives its types from them.
 */
import { z } from '@hono/zod-openapi'
import { ERROR_CODES, type ErrorCode } from '../shared/error-codes'

const isoDate = z.string().openapi({ format: 'date-time', example: '2026-11-23T12:00:00.000Z' })
const id = z.string().openapi({ example: 'usr_3f9c2a' })

export const Method = z.enum(['totp', 'backup_code', 'email', 'passkey']).openapi('Method')
/** The methods a code is: a passkey answers with a credential instead. */
const CodeMethod = z.enum(['totp', 'backup_code', 'email'])

export const User = z
  .object({
    id,
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(['user', 'admin']),
    twoFactorEnabled: z.boolean(),
  })
  .openapi('User')

export const Session = z.object({ token: z.string(), expiresAt: isoDate }).openapi('Session')

export const ErrorCodeSchema = z
  .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
  .openapi('ErrorCode', { example: 'VALIDATION_FAILED' })

export const ErrorSchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      issues: z
        .array(
          z.object({
            path: z.array(z.union([z.string(), z.number()])),
            message: z.string(),
            code: z.string().optional(),
          }),
        )
        .optional(),
      retryAfter: z.number().int().optional(),
      attemptsRemaining: z.number().int().optional(),
    }),
  })
  .openapi('Error')

// ---- requests -------------------------------------------------------------------------

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email())
  .openapi({ format: 'email', example: 'ada@example.com' })
/** Six digits; the server ignores whitespace between them (`123 456`). */
const TOTP_PATTERN = String.raw`^\s*(?:\d\s*){6}$`
/** Ten symbols of the backup-code alphabet, any case; spaces and dashes ignored (`7KQ2M-X9RTA`). */
const BACKUP_CODE_PATTERN = String.raw`^[\s-]*(?:[2-9A-HJ-NP-Za-hj-np-z][\s-]*){10}$`
/** A TOTP code, an emailed code or a backup code. */
const code = z
  .string()
  .max(64)
  .regex(new RegExp(`${TOTP_PATTERN}|${BACKUP_CODE_PATTERN}`), {
    message: 'Enter a 6-digit code or a backup code like XXXXX-XXXXX.',
  })
  .openapi({ example: '123456' })
/** A code from the authenticator app: six digits. */
const totpCode = z
  .string()
  .max(64)
  .regex(new RegExp(TOTP_PATTERN), {
    message: 'Enter the 6-digit code from your authenticator app.',
  })
  .openapi({ example: '123456' })
const token = z.string().min(1).max(256)

export const SignUpBody = z
  .object({
    email,
    password: z.string().min(8).max(256),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .openapi('SignUpBody')

export const SignInBody = z
  .object({ email, password: z.string().min(1).max(256) })
  .openapi('SignInBody')

const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url')
const credentialBase = {
  id: base64url.max(1366),
  rawId: base64url.max(1366),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
}

/** `RegistrationResponseJSON` from `navigator.credentials.create()` (via @simplewebauthn/browser). */
export const RegistrationCredential = z
  .object({
    ...credentialBase,
    response: z
      .object({
        clientDataJSON: base64url,
        attestationObject: base64url,
        transports: z.array(z.string().max(32)).max(10).optional(),
        authenticatorData: base64url.optional(),
        publicKey: base64url.optional(),
        publicKeyAlgorithm: z.number().int().optional(),
      })
      .passthrough(),
  })
  .openapi('RegistrationCredential')

/** `AuthenticationResponseJSON` from `navigator.credentials.get()`. */
export const AuthenticationCredential = z
  .object({
    ...credentialBase,
    response: z
      .object({
        clientDataJSON: base64url,
        authenticatorData: base64url,
        signature: base64url,
        userHandle: base64url.optional(),
      })
      .passthrough(),
  })
  .openapi('AuthenticationCredential')

const CodeSignInBody = z.object({
  challengeToken: token,
  code,
  method: CodeMethod.optional(),
  rememberDevice: z.boolean().optional(),
})

/** A passkey answers the challenge with an assertion instead of a code. */
const PasskeySignInBody = z.object({
  challengeToken: token,
  method: z.literal('passkey'),
  credential: AuthenticationCredential,
  rememberDevice: z.boolean().optional(),
})

export const TwoFactorSignInBody = z
  .union([CodeSignInBody, PasskeySignInBody])
  .openapi('TwoFactorSignInBody')

export const EmailCodeBody = z.object({ challengeToken: token }).openapi('EmailCodeBody')

/** A TOTP code or a backup code (turning the second factor off). */
export const CodeBody = z.object({ code }).openapi('CodeBody')

/** A TOTP code only (confirming setup, replacing the backup codes). */
export const TotpCodeBody = z.object({ code: totpCode }).openapi('TotpCodeBody')

// ---- sign-in answers ------------------------------------------------------------------

export const Challenge = z
  .object({ token: z.string(), expiresAt: isoDate, methods: z.array(Method) })
  .openapi('Challenge')

export const Authenticated = z
  .object({
    status: z.literal('authenticated'),
    user: User,
    session: Session,
    twoFactorSetupRequired: z.literal(true).optional(),
    setupDeadline: isoDate.optional(),
  })
  .openapi('Authenticated')

export const TwoFactorRequired = z
  .object({ status: z.literal('two_factor_required'), challenge: Challenge })
  .openapi('TwoFactorRequired')

export const SignInResponse = z
  .discriminatedUnion('status', [Authenticated, TwoFactorRequired])
  .openapi('SignInResponse')

export const TwoFactorSignInResponse = z
  .object({
    status: z.literal('authenticated'),
    user: User,
    session: Session,
    method: Method,
    backupCodesRemaining: z.number().int().optional(),
  })
  .openapi('TwoFactorSignInResponse')

export const EmailCodeSent = z
  .object({ sentTo: z.string(), resendAfter: z.number().int() })
  .openapi('EmailCodeSent')

export const SessionResponse = z.object({ user: User, session: Session }).openapi('SessionResponse')

/** `GET /api/auth/session`: the token only for Bearer callers, never for a cookie session. */
export const CurrentSessionResponse = z
  .object({
    user: User,
    session: z.object({
      token: z.string().optional().openapi({
        description: 'Only when the request was authenticated with `Authorization: Bearer`.',
      }),
      expiresAt: isoDate,
    }),
  })
  .openapi('CurrentSessionResponse')

// ---- own second factor ----------------------------------------------------------------

export const TrustedDevice = z
  .object({
    id,
    label: z.string(),
    userAgent: z.string().nullable(),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    expiresAt: isoDate,
    current: z.boolean(),
  })
  .openapi('TrustedDevice')

export const TwoFactorStatus = z
  .object({
    enabled: z.boolean(),
    enabledAt: isoDate.nullable(),
    pending: z.boolean(),
    required: z.boolean(),
    setupDeadline: isoDate.nullable(),
    backupCodes: z.object({
      total: z.number().int(),
      remaining: z.number().int(),
      lastUsedAt: isoDate.nullable(),
    }),
    trustedDevices: z.number().int(),
  })
  .openapi('TwoFactorStatus')

export const SetupResponse = z
  .object({
    secret: z.string(),
    manualEntryKey: z.string(),
    otpauthUri: z.string(),
    qrCodeSvg: z.string(),
  })
  .openapi('SetupResponse')

// ---- authenticators, passkeys, step-up --------------------------------------------------

const authenticatorName = z.string().trim().min(1).max(64).openapi({ example: 'Work phone' })

export const Authenticator = z
  .object({
    id,
    type: z.enum(['totp', 'passkey']),
    name: z.string(),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
  })
  .openapi('Authenticator')

export const AuthenticatorList = z
  .object({ authenticators: z.array(Authenticator) })
  .openapi('AuthenticatorList')

export const AddAuthenticatorBody = z
  .object({ type: z.literal('totp'), name: authenticatorName })
  .openapi('AddAuthenticatorBody')

export const PendingAuthenticator = SetupResponse.extend({ id }).openapi('PendingAuthenticator')

export const RenameAuthenticatorBody = z
  .object({ name: authenticatorName })
  .openapi('RenameAuthenticatorBody')

export const AuthenticatorResponse = z
  .object({ authenticator: Authenticator })
  .openapi('AuthenticatorResponse')

export const AuthenticatorParams = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'aut_3f9c2a' }),
})

export const PasskeyRegistrationBody = z
  .object({ name: authenticatorName, credential: RegistrationCredential })
  .openapi('PasskeyRegistrationBody')

export const PasskeyRegistered = z
  .object({ authenticator: Authenticator, backupCodes: z.array(z.string()).optional() })
  .openapi('PasskeyRegistered')

/** WebAuthn options (`PublicKeyCredentialCreationOptionsJSON` or `…RequestOptionsJSON`). */
const webauthnOptions = z
  .object({ challenge: z.string(), rpId: z.string().optional(), timeout: z.number().optional() })
  .passthrough()

export const PasskeyRegistrationOptions = z
  .object({ options: webauthnOptions.openapi('PublicKeyCredentialCreationOptionsJSON') })
  .openapi('PasskeyRegistrationOptions')

export const PasskeyAuthenticationOptions = z
  .object({ options: webauthnOptions.openapi('PublicKeyCredentialRequestOptionsJSON') })
  .openapi('PasskeyAuthenticationOptions')

export const PasskeyOptionsBody = z.object({ challengeToken: token }).openapi('PasskeyOptionsBody')

export const StepUpBody = z
  .union([
    z.object({ code }).strict(),
    z.object({ method: z.literal('passkey'), credential: AuthenticationCredential }).strict(),
  ])
  .openapi('StepUpBody')

export const StepUpResponse = z.object({ verifiedUntil: isoDate }).openapi('StepUpResponse')

/** A code, or nothing within a step-up window (disable, regenerate). */
export const OptionalCodeBody = z.object({ code: code.optional() }).openapi('OptionalCodeBody')
export const OptionalTotpCodeBody = z
  .object({ code: totpCode.optional() })
  .openapi('OptionalTotpCodeBody')

export const BackupCodesResponse = z
  .object({ backupCodes: z.array(z.string()) })
  .openapi('BackupCodesResponse')

export const EnabledResponse = z
  .object({ enabled: z.literal(true), backupCodes: z.array(z.string()) })
  .openapi('EnabledResponse')

export const DisabledResponse = z.object({ enabled: z.literal(false) }).openapi('DisabledResponse')

export const BackupCodeList = z
  .object({
    codes: z.array(z.object({ id, createdAt: isoDate, usedAt: isoDate.nullable() })),
  })
  .openapi('BackupCodeList')

export const TrustedDeviceList = z
  .object({ devices: z.array(TrustedDevice) })
  .openapi('TrustedDeviceList')

export const AuditEvent = z
  .object({
    id,
    userId: z.string().nullable(),
    actorId: z.string().nullable(),
    action: z.string(),
    createdAt: isoDate,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent')

export const EventList = z.object({ events: z.array(AuditEvent) }).openapi('EventList')

// ---- administration -------------------------------------------------------------------

const page = z.coerce.number().int().min(1).max(1_000_000).default(1)
const pageSize = z.coerce.number().int().min(1).max(100).default(25)

export const AdminUsersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  twoFactor: z.enum(['enabled', 'disabled']).optional(),
  role: z.enum(['user', 'admin']).optional(),
  page,
  pageSize,
})

export const AdminUser = z
  .object({
    id,
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(['user', 'admin']),
    twoFactorEnabled: z.boolean(),
    twoFactorEnabledAt: isoDate.nullable(),
    authenticators: z.object({ totp: z.number().int(), passkey: z.number().int() }),
    backupCodesRemaining: z.number().int(),
    lastSignInAt: isoDate.nullable(),
    lockedUntil: isoDate.nullable(),
  })
  .openapi('AdminUser')

/** A page of a listing: how many in all, which page, how many a page. */
const pageFields = {
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
}

export const AdminUserList = z
  .object({
    users: z.array(AdminUser),
    ...pageFields,
  })
  .openapi('AdminUserList')

export const RoleBody = z.object({ role: z.enum(['user', 'admin']) }).openapi('RoleBody')
export const ResetBody = z
  .object({ reason: z.string().trim().max(500).optional() })
  .openapi('ResetBody')
export const UserResponse = z.object({ user: User }).openapi('UserResponse')

export const Policy = z
  .object({
    enforce: z.enum(['off', 'admins', 'all']),
    gracePeriodDays: z.number().int().min(0).max(90),
    emailFallback: z.boolean(),
  })
  .openapi('Policy')

/** Like Policy with `emailFallback` optional (unchanged when missing); a plain object, no allOf. */
export const PolicyBody = z
  .object({
    enforce: Policy.shape.enforce,
    gracePeriodDays: Policy.shape.gracePeriodDays,
    emailFallback: z.boolean().optional(),
  })
  .openapi('PolicyBody')

export const Stats = z
  .object({
    totalUsers: z.number().int(),
    twoFactorUsers: z.number().int(),
    adoptionRate: z.number(),
    last30Days: z.object({
      enabled: z.number().int(),
      disabled: z.number().int(),
      failedAttempts: z.number().int(),
      lockouts: z.number().int(),
      backupCodesUsed: z.number().int(),
    }),
  })
  .openapi('Stats')

export const DailyStatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ example: 30 }),
})

const count = z.number().int().min(0)

export const DailyStatsDay = z
  .object({
    date: z.string().openapi({ format: 'date', example: '2026-11-23' }),
    twoFactorUsers: count.openapi({ description: 'Users with 2FA at the end of the day' }),
    enabled: count,
    disabled: count,
    failedAttempts: count,
    lockouts: count,
    backupCodesUsed: count,
    emailCodesSent: count,
  })
  .openapi('DailyStatsDay')

export const DailyStats = z
  .object({ days: z.array(DailyStatsDay).openapi({ description: 'Oldest first, UTC days' }) })
  .openapi('DailyStats')

export const AuditQuery = z.object({
  userId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  page,
  pageSize,
})

export const AuditList = z
  .object({
    events: z.array(AuditEvent),
    ...pageFields,
  })
  .openapi('AuditList')

export const OutboxQuery = z.object({ page, pageSize })

export const OutboxMessage = z
  .object({
    id,
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    createdAt: isoDate,
  })
  .openapi('OutboxMessage')

export const OutboxList = z
  .object({
    messages: z.array(OutboxMessage),
    ...pageFields,
  })
  .openapi('OutboxList')

export type UserDto = z.infer<typeof User>
export type MethodName = z.infer<typeof Method>
export type PolicyDto = z.infer<typeof Policy>
export type SignInAnswer = z.infer<typeof SignInResponse>
