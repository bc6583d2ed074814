import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { TwoFactorChallenge } from 'twofold/react'
import { adaUser, challenge, passkeyChallenge, VALID_CODE } from '../test/msw/fixtures'
import { failing, loading, offline } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withWebAuthn } from './decorators'

const VERIFY = P.auth.signInTwoFactor
const EMAIL = P.auth.signInEmailCode

const meta = {
  title: 'Sign-in/TwoFactorChallenge',
  component: TwoFactorChallenge,
  args: { challenge, onSignedIn: fn(), onExpired: fn() },
} satisfies Meta<typeof TwoFactorChallenge>

export default meta
type Story = StoryObj<typeof meta>

/** The code step as a user first sees it: focus is already in the code field. */
export const Default: Story = {}

/** Names the account signing in, with a way back to the password step for another one. */
export const WithAccount: Story = {
  args: { email: adaUser.email, onCancel: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText(adaUser.email)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Use another account' }))
    await expect(args.onCancel).toHaveBeenCalled()
  },
}

/** Only TOTP and backup codes: no email fallback offered. */
export const WithoutEmail: Story = {
  args: { challenge: { ...challenge, methods: ['totp', 'backup_code'] } },
}

/** A code was sent and the server is still checking it. */
export const Loading: Story = {
  parameters: { msw: { handlers: [loading('post', VERIFY)] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), VALID_CODE)
    await expect(await canvas.findByRole('button', { name: 'Verifying…' })).toBeDisabled()
  },
}

/** A wrong code: the error and the attempts left are announced. */
export const InvalidCode: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), '000000')
    await expect(await canvas.findByText(/4 attempts left/)).toBeVisible()
  },
}

/** Too many attempts: a countdown until the next try. */
export const Locked: Story = {
  parameters: {
    msw: { handlers: [failing('post', VERIFY, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 90 })] },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), '111111')
    await expect(await canvas.findByText(/Try again in 1:(30|29)/)).toBeVisible()
  },
}

/** The challenge ran out: the caller's `onExpired` sends the user back to sign in. */
export const Expired: Story = {
  parameters: { msw: { handlers: [failing('post', VERIFY, 401, 'INVALID_CHALLENGE')] } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), '111111')
    await expect(await canvas.findByText(/expired/)).toBeVisible()
    await expect(args.onExpired).toHaveBeenCalled()
  },
}

/** The server cannot be reached. */
export const Error: Story = {
  parameters: { msw: { handlers: [offline('post', VERIFY)] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), VALID_CODE)
    await expect(await canvas.findByText(/Could not reach the server/)).toBeVisible()
  },
}

/** The user chose a backup code instead. */
export const BackupCode: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use a backup code instead' }))
    await expect(canvas.getByLabelText('Backup code')).toHaveFocus()
  },
}

/** A code by email, with where it went and the resend countdown. */
export const EmailCode: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Email me a code' }))
    await expect(
      await canvas.findByText(/We sent a 6-digit code to a\*\*\*@example.com/),
    ).toBeVisible()
  },
}

/** A resend asked for too soon: the wait is shown and the button waits with it. */
export const EmailResendWait: Story = {
  parameters: {
    msw: {
      handlers: [failing('post', EMAIL, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 42 })],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Email me a code' }))
    await expect(await canvas.findByRole('alert')).toBeVisible()
  },
}

/** A wrong emailed code: the error and the attempts left are announced. */
export const EmailCodeInvalid: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Email me a code' }))
    await canvas.findByText(/We sent a 6-digit code/)
    await userEvent.keyboard('000000')
    await expect(await canvas.findByText(/attempts left/)).toBeVisible()
  },
}

/** The right code: `onSignedIn` receives the session. */
export const Success: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Authentication code'), VALID_CODE)
    await expect(args.onSignedIn).toHaveBeenCalled()
  },
}

/** The user has a passkey: it is offered first, a code is the fallback. */
export const PasskeyFirst: Story = {
  args: { challenge: passkeyChallenge, email: adaUser.email },
  decorators: [withWebAuthn()],
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use your passkey' }))
    await expect(args.onSignedIn).toHaveBeenCalled()
  },
}

/** The passkey prompt was closed or timed out: a plain sentence, and a retry. */
export const PasskeyCancelled: Story = {
  args: { challenge: passkeyChallenge },
  decorators: [withWebAuthn('NotAllowedError')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use your passkey' }))
    await expect(await canvas.findByText(/cancelled or timed out/)).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Try your passkey again' })).toBeVisible()
  },
}

/** A passkey the server does not accept (another account's): counted like a wrong code. */
export const PasskeyNotAllowed: Story = {
  args: { challenge: passkeyChallenge },
  decorators: [withWebAuthn('stranger')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use your passkey' }))
    await expect(await canvas.findByText(/passkey was not accepted. 4 attempts left/)).toBeVisible()
  },
}

/** The fallback: a code from the app instead of the passkey. */
export const PasskeyFallbackToCode: Story = {
  args: { challenge: passkeyChallenge },
  decorators: [withWebAuthn()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use a code instead' }))
    await expect(canvas.getByLabelText('Authentication code')).toHaveFocus()
  },
}
