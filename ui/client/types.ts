/**
 * Types of every request and response, derived from the API's zod schemas. Type-only imports:
 * zod never reaches the UI bundle.
 */
import type { z } from '@hono/zod-openapi'
import type * as schemas from '../../api/schemas'

type Out<T extends z.ZodType> = z.output<T>
type In<T extends z.ZodType> = z.input<T>

export type Method = Out<typeof schemas.Method>
export type User = Out<typeof schemas.User>
export type Session = Out<typeof schemas.Session>
export type ErrorResponse = Out<typeof schemas.ErrorSchema>

export type SignUpBody = In<typeof schemas.SignUpBody>
export type SignInBody = In<typeof schemas.SignInBody>
export type TwoFactorSignInBody = In<typeof schemas.TwoFactorSignInBody>
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

export type Challenge = Out<typeof schemas.Challenge>
export type Authenticated = Out<typeof schemas.Authenticated>
export type TwoFactorRequired = Out<typeof schemas.TwoFactorRequired>
export type SignInResponse = Out<typeof schemas.SignInResponse>
export type TwoFactorSignInResponse = Out<typeof schemas.TwoFactorSignInResponse>
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
export type AdminUser = Out<typeof schemas.AdminUser>
export type AdminUserList = Out<typeof schemas.AdminUserList>
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
