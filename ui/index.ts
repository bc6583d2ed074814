export { ApiError, isApiError } from './client/api-error'
export type { ApiErrorCode, ApiErrorInit, ApiIssue } from './client/api-error'
export { createTwoFactorClient, memoryTokenStore, webStorageTokenStore } from './client/client'
export type {
  SetupRequiredListener,
  TokenStore,
  TwoFactorClient,
  TwoFactorClientOptions,
} from './client/client'
export type * from './client/types'
export { ERROR_CODES } from '../shared/error-codes'
export type { ErrorCode } from '../shared/error-codes'

export { TwoFactorProvider, useTwoFactor } from './provider/provider'
export type { TwoFactorContextValue, TwoFactorProviderProps } from './provider/provider'
export { defaultMessages } from './provider/messages'
export type { MessageOverrides, Messages } from './provider/messages'
export { auditActionLabel } from './provider/audit-messages'
export type { AuditAction } from './provider/audit-messages'

// The building blocks of the components, for an app's own screens in the kit's look.
export { Button } from './primitives/parts'
export type { ButtonProps } from './primitives/parts'
export { Field } from './primitives/field'
export type { FieldProps } from './primitives/field'
export { OtpField } from './primitives/otp-field'
export type { OtpFieldProps } from './primitives/otp-field'
export { Section, SectionTitle } from './primitives/section'
export type { SectionProps, SectionTitleProps } from './primitives/section'
export { useResource } from './primitives/hooks'
export type { Resource, ResourceState } from './primitives/hooks'
export { ResourceStatus } from './primitives/resource-status'
export type { ResourceStatusProps } from './primitives/resource-status'

export { SignInForm } from './components/sign-in-form/sign-in-form'
export type { SignedIn, SignInFormProps } from './components/sign-in-form/sign-in-form'
export { TwoFactorChallenge } from './components/two-factor-challenge/two-factor-challenge'
export type { TwoFactorChallengeProps } from './components/two-factor-challenge/two-factor-challenge'
export { TwoFactorSetupDialog } from './components/two-factor-setup-dialog/two-factor-setup-dialog'
export type { TwoFactorSetupDialogProps } from './components/two-factor-setup-dialog/two-factor-setup-dialog'
export { BackupCodesPanel } from './components/backup-codes-panel/backup-codes-panel'
export type { BackupCodesPanelProps } from './components/backup-codes-panel/backup-codes-panel'
export { TrustedDevices } from './components/trusted-devices/trusted-devices'
export type { TrustedDevicesProps } from './components/trusted-devices/trusted-devices'
export { TwoFactorSettings } from './components/two-factor-settings/two-factor-settings'
export type { TwoFactorSettingsProps } from './components/two-factor-settings/two-factor-settings'
export { TwoFactorAdminTable } from './components/two-factor-admin-table/two-factor-admin-table'
export type { TwoFactorAdminTableProps } from './components/two-factor-admin-table/two-factor-admin-table'
export { TwoFactorPolicyForm } from './components/two-factor-policy-form/two-factor-policy-form'
export type { TwoFactorPolicyFormProps } from './components/two-factor-policy-form/two-factor-policy-form'
export { Authenticators } from './components/authenticators/authenticators'
export type { AuthenticatorsProps } from './components/authenticators/authenticators'
export { StepUpDialog } from './components/step-up/step-up-dialog'
export type { StepUpDialogProps, StepUpState } from './components/step-up/step-up-dialog'
export {
  isStepUpCancelled,
  StepUpCancelledError,
  useStepUp,
} from './components/step-up/use-step-up'
export { isPasskeyError, PasskeyError, passkeysSupported } from './primitives/passkey'
export type { PasskeyProblem } from './primitives/passkey'
export { TwoFactorTrends } from './components/two-factor-trends/two-factor-trends'
export type { TwoFactorTrendsProps } from './components/two-factor-trends/two-factor-trends'
