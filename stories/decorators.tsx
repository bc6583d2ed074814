import type { Decorator } from '@storybook/react-vite'
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
