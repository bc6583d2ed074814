/** What the audit log records; services/audit.service.ts writes and reads it. */
export const AUDIT_ACTIONS = [
  'sign_up',
  'sign_in',
  'sign_in_failed',
  'two_factor_challenge_passed',
  'two_factor_challenge_failed',
  'two_factor_enabled',
  'two_factor_disabled',
  'backup_code_used',
  'backup_codes_regenerated',
  'email_code_sent',
  'trusted_device_added',
  'trusted_device_revoked',
  'account_locked',
  'admin_two_factor_reset',
  'admin_unlock',
  'admin_role_changed',
  'policy_changed',
  'password_changed',
  'authenticator_added',
  'authenticator_renamed',
  'authenticator_removed',
  'step_up',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Safe metadata only: methods, counts, reasons, labels. Never codes, secrets or tokens. */
export type AuditMetadata = Record<string, string | number | boolean | null>

export interface AuditEntry {
  action: AuditAction
  userId: string | null
  /** Who did it; defaults to the user themself. */
  actorId?: string | null
  metadata?: AuditMetadata
}
