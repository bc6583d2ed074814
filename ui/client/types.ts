/**
 * Types of every request and response, derived from the API's zod schemas. Type-only imports:
 * zod never reaches the UI bundle.
 */
import type { z } from '@hono/zod-openapi'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser'
import type * as schemas from '../../api/schemas'

type Out<T extends z.ZodType> = z.output<T>
type In<T extends z.ZodType> = z.input<T>

/** A second factor, as `method` answers and audit metadata name it (contract: Conventions). */
export type Method = Out<typeof schemas.Method> | 'passkey'
export type User = Out<typeof schemas.User>
export type Session = Out<typeof schemas.Session>
export type ErrorResponse = Out<typeof schemas.ErrorSchema>

export type SignUpBody = In<typeof schemas.SignUpBody>
export type SignInBody = In<typeof schemas.SignInBody>
/** The second sign-in step: a code, or a passkey's assertion ({@link PasskeySignInBody}). */
export type TwoFactorSignInBody = In<typeof schemas.TwoFactorSignInBody> | PasskeySignInBody
export type EmailCodeBody = In<typeof schemas.EmailCodeBody>
export type CodeBody = In<typeof schemas.CodeBody>
/**
 * Body of `POST /api/auth/password`. Written out here: the API declares its schema beside the
 * route, not in api/schemas.ts (new password: 8 to 256 characters).
 */
export interface PasswordChangeBody {
  currentPassword: string
  newPassword: string
}

/** `methods` include `passkey` when the user has one (contract: Authenticators). */
export type Challenge = Omit<Out<typeof schemas.Challenge>, 'methods'> & { methods: Method[] }
export type Authenticated = Out<typeof schemas.Authenticated>
export type TwoFactorRequired = { status: 'two_factor_required'; challenge: Challenge }
export type SignInResponse = Authenticated | TwoFactorRequired
export type TwoFactorSignInResponse = Omit<
  Out<typeof schemas.TwoFactorSignInResponse>,
  'method'
> & {
  method: Method
}
export type EmailCodeSent = Out<typeof schemas.EmailCodeSent>
export type SessionResponse = Out<typeof schemas.SessionResponse>
/** `GET /api/auth/session`: `session.token` only when the client sends `Authorization: Bearer`. */
export type CurrentSessionResponse = Out<typeof schemas.CurrentSessionResponse>

export type TwoFactorStatus = Out<typeof schemas.TwoFactorStatus>
export type SetupResponse = Out<typeof schemas.SetupResponse>
export type EnabledResponse = Out<typeof schemas.EnabledResponse>
export type DisabledResponse = Out<typeof schemas.DisabledResponse>
export type BackupCodesResponse = Out<typeof schemas.BackupCodesResponse>
export type BackupCodeList = Out<typeof schemas.BackupCodeList>
export type BackupCodeSlot = BackupCodeList['codes'][number]
export type TrustedDevice = Out<typeof schemas.TrustedDevice>
export type TrustedDeviceList = Out<typeof schemas.TrustedDeviceList>
export type AuditEvent = Out<typeof schemas.AuditEvent>
export type EventList = Out<typeof schemas.EventList>

/** Query of `GET /api/admin/users`; every field optional, the server applies defaults. */
export type AdminUsersQuery = Partial<Out<typeof schemas.AdminUsersQuery>>
export type AdminUser = Out<typeof schemas.AdminUser> & {
  /** How many confirmed authenticators of each type the user holds. */
  authenticators: AuthenticatorCounts
}
export type AdminUserList = Omit<Out<typeof schemas.AdminUserList>, 'users'> & {
  users: AdminUser[]
}
export type Role = User['role']
export type RoleBody = In<typeof schemas.RoleBody>
export type ResetBody = In<typeof schemas.ResetBody>
export type UserResponse = Out<typeof schemas.UserResponse>
export type Policy = Out<typeof schemas.Policy>
export type PolicyBody = In<typeof schemas.PolicyBody>
export type Stats = Out<typeof schemas.Stats>
/** Query of `GET /api/admin/stats/daily`: `days` from 1 to 365, 30 when absent. */
export type DailyStatsQuery = Partial<Out<typeof schemas.DailyStatsQuery>>
export type DailyStats = Out<typeof schemas.DailyStats>
export type DailyStatsDay = Out<typeof schemas.DailyStatsDay>
export type AuditQuery = Partial<Out<typeof schemas.AuditQuery>>
export type AuditList = Out<typeof schemas.AuditList>

/** One message of the development outbox (`GET /api/admin/outbox`). */
export type OutboxMessage = Out<typeof schemas.OutboxMessage>
/** One page of the outbox, newest first. */
export type OutboxList = Out<typeof schemas.OutboxList>

// ---- Authenticators, passkeys, step-up ----------------------------------------------------
// Written out from shared/api-contract.md ("Authenticators: several per user, passkeys,
// step-up") until api/schemas.ts declares them. The WebAuthn JSON shapes are the ones
// @simplewebauthn/browser reads and produces (type-only imports).

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
}

export type AuthenticatorType = 'totp' | 'passkey'

/** A confirmed authenticator app or passkey of the signed-in user. */
export interface Authenticator {
  id: string
  type: AuthenticatorType
  /** 1 to 64 characters; the app confirmed through setup is named `Authenticator app`. */
  name: string
  createdAt: string
  lastUsedAt: string | null
}

/** `GET /api/two-factor/authenticators`: confirmed ones only. */
export interface AuthenticatorList {
  authenticators: Authenticator[]
}

/** `POST /api/two-factor/authenticators`: another authenticator app (2FA already on). */
export interface AddAuthenticatorBody {
  type: 'totp'
  name: string
}

/** The pending app `POST /api/two-factor/authenticators` answers (201), to confirm with a code. */
export type PendingAuthenticator = { id: string } & SetupResponse

/** `PATCH /api/two-factor/authenticators/:id`. */
export interface RenameAuthenticatorBody {
  name: string
}

/** `POST /api/two-factor/authenticators/:id/verify` and `PATCH …/:id`. */
export interface AuthenticatorResponse {
  authenticator: Authenticator
}

/** `POST /api/two-factor/passkeys/options`. */
export interface PasskeyRegistrationOptions {
  options: PublicKeyCredentialCreationOptionsJSON
}

/** `POST /api/two-factor/passkeys`. */
export interface PasskeyRegistrationBody {
  name: string
  credential: RegistrationResponseJSON
}

/** `POST /api/two-factor/passkeys` (201): `backupCodes` (10) when this passkey turned 2FA on. */
export interface PasskeyRegistered {
  authenticator: Authenticator
  backupCodes?: string[]
}

/**
 * Options of a passkey assertion: `POST /api/two-factor/step-up/passkey` and
 * `POST /api/auth/sign-in/two-factor/passkey`.
 */
export interface PasskeyAuthenticationOptions {
  options: PublicKeyCredentialRequestOptionsJSON
}

/** `POST /api/auth/sign-in/two-factor/passkey`. */
export interface PasskeyOptionsBody {
  challengeToken: string
}

/** The second sign-in step answered with a passkey. */
export interface PasskeySignInBody {
  challengeToken: string
  method: 'passkey'
  credential: AuthenticationResponseJSON
  rememberDevice?: boolean
}

/** `POST /api/two-factor/step-up`: a code, or a passkey's assertion. */
export type StepUpBody =
  { code: string } | { method: 'passkey'; credential: AuthenticationResponseJSON }

/** The session counts as recently verified until `verifiedUntil` (10 minutes). */
export interface StepUpResponse {
  verifiedUntil: string
}

/** `authenticators` of an admin's user row: confirmed ones by type. */
export interface AuthenticatorCounts {
  totp: number
  passkey: number
}
