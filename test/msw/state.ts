import type { AdminUser, BackupCodeSlot, Policy, TrustedDevice } from '../../ui/client/types'
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
  }
}

/** What the mock server remembers between requests of one test or story. */
export const mockState: MockState = initialState()

/** Puts the mock server back as it started; tests call it after each test. */
export function resetMockState(overrides: Partial<MockState> = {}) {
  Object.assign(mockState, initialState(), overrides)
}
