import type {
  AdminUser,
  Authenticator,
  BackupCodeSlot,
  Policy,
  TrustedDevice,
} from '../../ui/client/types'
import * as fixtures from './fixtures'

interface MockState {
  twoFactorEnabled: boolean
  /**
   * The policy's deadline has passed without 2FA: routes other than the status and setup answer
   * 403 TWO_FACTOR_SETUP_REQUIRED, as the real fence does, until setup is confirmed.
   */
  fenced: boolean
  attemptsRemaining: number
  codeSlots: BackupCodeSlot[]
  devices: TrustedDevice[]
  users: AdminUser[]
  policy: Policy
  regenerations: number
  /** The signed-in user's confirmed authenticators. */
  authenticators: Authenticator[]
  /** An authenticator app added but not confirmed yet. */
  pendingAuthenticator: Authenticator | null
  /** Credential ids of the user's passkeys (the browser stubs answer with them). */
  passkeyIds: Record<string, string>
  /** Until when (ms since the epoch) the session counts as recently verified; 0: never. */
  stepUpUntil: number
  /** Wrong step-up codes left before the lockout. */
  stepUpAttempts: number
}

function initialState(): MockState {
  return {
    twoFactorEnabled: true,
    fenced: false,
    attemptsRemaining: 5,
    codeSlots: fixtures.makeCodeSlots(3),
    devices: [...fixtures.devices],
    users: fixtures.makeAdminUsers(),
    policy: { ...fixtures.policy },
    regenerations: 0,
    authenticators: fixtures.authenticators.map((each) => ({ ...each })),
    pendingAuthenticator: null,
    passkeyIds: { [fixtures.PASSKEY_ID]: 'auth_key' },
    stepUpUntil: 0,
    stepUpAttempts: 5,
  }
}

/** What the mock server remembers between requests of one test or story. */
export const mockState: MockState = initialState()

/** Puts the mock server back as it started; tests call it after each test. */
export function resetMockState(overrides: Partial<MockState> = {}) {
  Object.assign(mockState, initialState(), overrides)
}
