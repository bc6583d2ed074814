import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { StepUpDialog } from 'twofold/react'
import { VALID_CODE } from '../test/msw/fixtures'
import { failing, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withWebAuthn } from './decorators'

const STEP_UP = P.twoFactor.stepUp

const meta = {
  title: 'Settings/StepUpDialog',
  component: StepUpDialog,
  args: { defaultOpen: true, onVerified: fn(), onOpenChange: fn(), passkey: false },
  loaders: [() => resetMockState()],
} satisfies Meta<typeof StepUpDialog>

export default meta
type Story = StoryObj<typeof meta>

const dialog = () => within(within(document.body).getByRole('dialog'))

/** A code from the authenticator app; focus is in the code field. */
export const Code: Story = {
  play: async ({ args }) => {
    await userEvent.type(dialog().getByLabelText('Authentication code'), VALID_CODE)
    await expect(args.onVerified).toHaveBeenCalled()
  },
}

/** The user has a passkey: it comes first, the code below it. */
export const Passkey: Story = {
  args: { passkey: true },
  decorators: [withWebAuthn()],
  play: async ({ args }) => {
    await userEvent.click(dialog().getByRole('button', { name: 'Use a passkey' }))
    await expect(args.onVerified).toHaveBeenCalled()
  },
}

/** The passkey prompt was closed or timed out: a plain sentence, and the way to try again. */
export const PasskeyCancelled: Story = {
  args: { passkey: true },
  decorators: [withWebAuthn('NotAllowedError')],
  play: async () => {
    await userEvent.click(dialog().getByRole('button', { name: 'Use a passkey' }))
    await expect(await dialog().findByText(/cancelled or timed out/)).toBeVisible()
  },
}

/** A wrong code: announced, the field cleared for the next try. */
export const Invalid: Story = {
  play: async () => {
    await userEvent.type(dialog().getByLabelText('Authentication code'), '000000')
    await expect(await dialog().findByText('That code is not valid.')).toBeVisible()
  },
}

/** Too many wrong codes: a countdown, the field disabled. */
export const Locked: Story = {
  parameters: {
    msw: { handlers: [failing('post', STEP_UP, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 90 })] },
  },
  play: async () => {
    await userEvent.type(dialog().getByLabelText('Authentication code'), '111111')
    await expect(await dialog().findByText(/Try again in 1:(30|29)/)).toBeVisible()
  },
}
