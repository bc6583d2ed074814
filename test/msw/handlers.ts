/**
 * MSW handlers for the whole Twofold contract, shared by Storybook (msw-storybook-addon) and
 * the component tests (msw/node). `handlers` is the happy path over a small stateful mock;
 * stories and tests put `failing`, `loading`, `offline` or `answering` handlers in front.
 */
import { adminHandlers } from './admin-handlers'
import { authHandlers } from './auth-handlers'
import { authenticatorHandlers } from './authenticator-handlers'
import { fenceHandlers, twoFactorHandlers } from './two-factor-handlers'

export const handlers = [
  ...fenceHandlers,
  ...authHandlers,
  ...twoFactorHandlers,
  ...authenticatorHandlers,
  ...adminHandlers,
]

export { adminHandlers, authenticatorHandlers, authHandlers, fenceHandlers, twoFactorHandlers }
export { INVALID_ATTESTATION } from './authenticator-handlers'
export { answering, apiError, failing, loading, offline, route } from './respond'
export { mockState, resetMockState } from './state'
