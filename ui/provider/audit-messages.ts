/** Strings of audit events (`GET /api/two-factor/events`, `GET /api/admin/audit`). */
export const auditMessages = {
  audit: {
    /** One label per action the API records (the contract's "Audit actions"). */
    actions: {
      sign_up: 'Account created',
      sign_in: 'Signed in',
      sign_in_failed: 'Sign-in failed',
      two_factor_challenge_passed: 'Second step passed',
      two_factor_challenge_failed: 'Second step failed',
      two_factor_enabled: 'Two-factor turned on',
      two_factor_disabled: 'Two-factor turned off',
      backup_code_used: 'Backup code used',
      backup_codes_regenerated: 'New backup codes',
      email_code_sent: 'Code sent by email',
      trusted_device_added: 'Device remembered',
      trusted_device_revoked: 'Trusted device revoked',
      account_locked: 'Second factor locked',
      admin_two_factor_reset: 'Two-factor reset by an admin',
      admin_unlock: 'Unlocked by an admin',
      admin_role_changed: 'Role changed',
      policy_changed: 'Policy changed',
      password_changed: 'Password changed',
      authenticator_added: 'Authenticator added',
      authenticator_renamed: 'Authenticator renamed',
      authenticator_removed: 'Authenticator removed',
      step_up: 'Identity confirmed again',
    },
    /** The second factor an event's `metadata.method` names. */
    methods: {
      totp: 'authenticator app',
      backup_code: 'backup code',
      email: 'emailed code',
      passkey: 'passkey',
    } as Record<string, string>,
  },
}

/** An action the API records in the audit log. */
export type AuditAction = keyof typeof auditMessages.audit.actions

/**
 * The label of an audit event's action, from `messages.audit` (the provider's messages). An
 * action newer than the kit reads as its words: `some_action` → `some action`.
 */
export function auditActionLabel(
  audit: { actions: Partial<Record<string, string>> },
  action: string,
): string {
  return (
    (Object.hasOwn(audit.actions, action) && audit.actions[action]) || action.replace(/_/g, ' ')
  )
}
