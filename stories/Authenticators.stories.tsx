import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { Authenticators } from 'twofold/react'
import { authenticators, VALID_CODE } from '../test/msw/fixtures'
import { answering, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withWebAuthn } from './decorators'

const LIST = P.twoFactor.authenticators

const meta = {
  title: 'Settings/Authenticators',
  component: Authenticators,
  args: { onChange: fn() },
  decorators: [withWebAuthn()],
  loaders: [() => resetMockState()],
} satisfies Meta<typeof Authenticators>

export default meta
type Story = StoryObj<typeof meta>

const body = () => within(document.body)

/** An authenticator app and a security key, with add buttons for more. */
export const Default: Story = {}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', LIST)] } },
}

/** No confirmed authenticator (2FA off): nothing to rename, nothing to add here. */
export const Empty: Story = {
  parameters: { msw: { handlers: [answering('get', LIST, { authenticators: [] })] } },
}

/** Only the app confirmed through setup. */
export const OneApp: Story = {
  parameters: {
    msw: { handlers: [answering('get', LIST, { authenticators: [authenticators[0]] })] },
  },
}

/** Renaming in place: a labelled field where the name was; Enter saves, Escape cancels. */
export const Rename: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Rename YubiKey 5C' }))
    const field = canvas.getByLabelText('New name for YubiKey 5C')
    await userEvent.clear(field)
    await userEvent.type(field, 'Backup key in the safe{Enter}')
    await expect(await canvas.findByText('Backup key in the safe')).toBeVisible()
  },
}

/** Removing needs a fresh second factor: the step-up dialog opens, then the removal goes on. */
export const RemoveNeedsStepUp: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove YubiKey 5C' }))
    await userEvent.click(await body().findByRole('button', { name: 'Remove' }))
    const dialog = within(await body().findByRole('dialog', { name: 'Confirm it’s you' }))
    await userEvent.type(dialog.getByLabelText('Authentication code'), VALID_CODE)
    await expect(await canvas.findByText('YubiKey 5C was removed.')).toBeVisible()
  },
}

/** The list cannot be read: the error is announced, with a retry. */
export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', LIST)] } },
}
