/**
 * Every error code the API can answer with, and its default English message.
 * Shared by the API and the React kit (which ships this file alone), so codes are spelled once.
 * No imports: `twofold/react` bundles it.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'The request is not valid.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  NOT_FOUND: 'Not found.',
  UNAUTHORIZED: 'You need to sign in.',
  INVALID_CREDENTIALS: 'The email or password is wrong.',
  INVALID_CODE: 'The code is not valid.',
  INVALID_CHALLENGE: 'The sign-in attempt has expired. Sign in again.',
  TOO_MANY_ATTEMPTS: 'Too many attempts. Try again later.',
  EMAIL_TAKEN: 'An account with this email already exists.',
  FORBIDDEN: 'You are not allowed to do this.',
  CSRF_FAILED: 'Cross-site request refused.',
  ALREADY_ENABLED: 'Two-factor authentication is already enabled.',
  NOT_ENABLED: 'Two-factor authentication is not enabled.',
  NO_PENDING_SETUP: 'Start two-factor setup first.',
  TWO_FACTOR_SETUP_REQUIRED: 'Set up two-factor authentication to continue.',
  CANNOT_RESET_SELF: 'You cannot reset your own two-factor authentication.',
  LAST_ADMIN: 'The last administrator cannot be demoted.',
  EMAIL_FALLBACK_DISABLED: 'Email codes are turned off.',
  STEP_UP_REQUIRED: 'Confirm it is you to continue.',
  LAST_AUTHENTICATOR:
    'You cannot remove your last authenticator. Turn off two-factor authentication instead.',
  INVALID_CREDENTIAL: 'The passkey could not be verified. Try again.',
  PASSKEY_EXISTS: 'This passkey or security key is already registered.',
  TWO_FACTOR_NOT_ENABLED: 'Turn on two-factor authentication first.',
  INTERNAL_ERROR: 'Something went wrong.',
} as const

export type ErrorCode = keyof typeof ERROR_CODES
