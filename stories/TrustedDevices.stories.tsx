import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { TrustedDevices } from 'twofold/react'
import { answering, failing, loading, offline } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'

const LIST = P.twoFactor.trustedDevices

const meta = {
  title: 'Settings/TrustedDevices',
  component: TrustedDevices,
  args: { onRevoked: fn() },
} satisfies Meta<typeof TrustedDevices>

export default meta
type Story = StoryObj<typeof meta>

/** This device and a phone. */
export const Default: Story = {}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', LIST)] } },
}

export const Empty: Story = {
  parameters: { msw: { handlers: [answering('get', LIST, { devices: [] })] } },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', LIST)] } },
}

/** Revoking fails on the server. */
export const RevokeFailed: Story = {
  parameters: { msw: { handlers: [failing('delete', `${LIST}/:id`, 404, 'NOT_FOUND')] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Revoke Safari on iPhone' }))
    const dialog = within(await within(document.body).findByRole('dialog'))
    await userEvent.click(dialog.getByRole('button', { name: 'Revoke' }))
    await expect(await dialog.findByText('Not found.')).toBeVisible()
  },
}

/** One device revoked after confirmation. */
export const Success: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Revoke Safari on iPhone' }))
    const dialog = within(await within(document.body).findByRole('dialog'))
    await userEvent.click(dialog.getByRole('button', { name: 'Revoke' }))
    await expect(args.onRevoked).toHaveBeenCalled()
  },
}
