import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { TwoFactorSettings } from 'twofold/react'
import {
  authenticators,
  statusDisabled,
  statusRequired,
  statusRequiredNow,
  VALID_CODE,
} from '../test/msw/fixtures'
import { answering, failing, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withStepUpWindow, withWebAuthn } from './decorators'

const STATUS = P.twoFactor.status

const meta = {
  title: 'Settings/TwoFactorSettings',
  component: TwoFactorSettings,
  args: { onStatusChange: fn() },
  loaders: [() => resetMockState()],
} satisfies Meta<typeof TwoFactorSettings>

export default meta
type Story = StoryObj<typeof meta>

/** 2FA on, with backup codes and trusted devices. */
export const Default: Story = {}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', STATUS)] } },
}

/** 2FA off: an Enable button opens the setup dialog. */
export const Disabled: Story = {
  loaders: [() => resetMockState({ twoFactorEnabled: false })],
  parameters: { msw: { handlers: [answering('get', STATUS, statusDisabled)] } },
}

/** Required by policy, with the deadline banner. */
export const Required: Story = {
  parameters: { msw: { handlers: [answering('get', STATUS, statusRequired)] } },
}

/** Required and past the deadline: every other call is fenced until setup; Enable is the way on. */
export const RequiredNow: Story = {
  loaders: [() => resetMockState({ twoFactorEnabled: false, fenced: true })],
  parameters: { msw: { handlers: [answering('get', STATUS, statusRequiredNow)] } },
}

/**
 * A server that fences even the status read: the card offers Enable (not "Try again"), and the
 * provider opens the setup dialog by itself.
 */
export const StatusFenced: Story = {
  loaders: [() => resetMockState({ twoFactorEnabled: false, fenced: true })],
  parameters: {
    msw: { handlers: [failing('get', STATUS, 403, 'TWO_FACTOR_SETUP_REQUIRED')] },
  },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', STATUS)] } },
}

/** Disabling with a wrong code. */
export const InvalidCode: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disable' }))
    const dialog = within(await within(document.body).findByRole('dialog'))
    await userEvent.type(dialog.getByLabelText(/Authentication code or backup code/), '000000')
    await userEvent.click(dialog.getByRole('button', { name: 'Disable' }))
    await expect(await dialog.findByText('That code is not valid.')).toBeVisible()
  },
}

/** Disabled with the right code. */
export const Success: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disable' }))
    const dialog = within(await within(document.body).findByRole('dialog'))
    await userEvent.type(dialog.getByLabelText(/Authentication code or backup code/), VALID_CODE)
    await userEvent.click(dialog.getByRole('button', { name: 'Disable' }))
    await expect(await canvas.findByRole('button', { name: 'Enable' })).toBeVisible()
  },
}

/** Stepped up a moment ago (say, to remove an authenticator): Disable only asks to confirm. */
export const DisableRecentlyVerified: Story = {
  decorators: [withStepUpWindow()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disable' }))
    const dialog = within(await within(document.body).findByRole('dialog'))
    await expect(dialog.getByText(/You confirmed it’s you recently/)).toBeVisible()
    await expect(dialog.queryByRole('textbox')).toBeNull()
    await userEvent.click(dialog.getByRole('button', { name: 'Disable' }))
    await expect(await canvas.findByRole('button', { name: 'Enable' })).toBeVisible()
  },
}

/** The page thought it had a window; the server's had run out: the step-up dialog steps in. */
export const DisableStepUpRequired: Story = {
  decorators: [withStepUpWindow(false)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disable' }))
    const body = within(document.body)
    await userEvent.click(
      within(await body.findByRole('dialog')).getByRole('button', { name: 'Disable' }),
    )
    await expect(await body.findByRole('dialog', { name: 'Confirm it’s you' })).toBeVisible()
  },
}

/** A user whose only authenticator is a passkey disables with it (through the step-up dialog). */
export const DisablePasskeyOnly: Story = {
  loaders: [() => resetMockState({ authenticators: [authenticators[1]] })],
  decorators: [withWebAuthn()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disable' }))
    const body = within(document.body)
    const dialog = within(await body.findByRole('dialog'))
    await userEvent.click(await dialog.findByRole('button', { name: 'Use a passkey' }))
    const check = within(await body.findByRole('dialog', { name: 'Confirm it’s you' }))
    await userEvent.click(await check.findByRole('button', { name: 'Use a passkey' }))
    await expect(await canvas.findByRole('button', { name: 'Enable' })).toBeVisible()
  },
}
