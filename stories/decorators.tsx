import type { Decorator } from '@storybook/react-vite'
import { useEffect, type ReactNode } from 'react'
import { useTwoFactor } from 'twofold/react'
import { mockState } from '../test/msw/handlers'
import { installFakeWebAuthn, type FakeWebAuthn } from '../test/msw/webauthn'

/**
 * Puts a fake authenticator behind `navigator.credentials` before the story renders, so its
 * passkey states show the same in Storybook and in jsdom (no real prompt, no real key).
 */
export function withWebAuthn(mode: FakeWebAuthn = 'ok'): Decorator {
  return (Story) => {
    installFakeWebAuthn(mode)
    return <Story />
  }
}

function SteppedUp({ server, children }: { server: boolean; children: ReactNode }) {
  const { setStepUpUntil } = useTwoFactor()
  useEffect(() => {
    const until = Date.now() + 10 * 60_000
    setStepUpUntil(until)
    if (server) mockState.stepUpUntil = until
  }, [server, setStepUpUntil])
  return children
}

/**
 * The page stepped up a moment ago, as a `StepUpDialog` in it records: the provider knows of the
 * window, and so does the mock server unless `server` is false (the window ran out there, or
 * another tab ended it), which is when the API answers `STEP_UP_REQUIRED` after all.
 */
export function withStepUpWindow(server = true): Decorator {
  return (Story) => (
    <SteppedUp server={server}>
      <Story />
    </SteppedUp>
  )
}
