import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { TwoFactorPolicyForm } from 'twofold/react'
import { failing, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'

const POLICY = P.admin.policy

const meta = {
  title: 'Admin/TwoFactorPolicyForm',
  component: TwoFactorPolicyForm,
  args: { onSaved: fn() },
  loaders: [() => resetMockState()],
} satisfies Meta<typeof TwoFactorPolicyForm>

export default meta
type Story = StoryObj<typeof meta>

export const Default: Story = {}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', POLICY)] } },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', POLICY)] } },
}

/** Choosing "Admins" shows how many admins must still set 2FA up. */
export const Impact: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByLabelText('Admins'))
    await expect(await canvas.findByText(/will have to set it up/)).toBeVisible()
  },
}

/** A grace period out of range. */
export const Invalid: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const grace = await canvas.findByLabelText('Grace period (days)')
    await userEvent.clear(grace)
    await userEvent.type(grace, '120')
    await expect(canvas.getByRole('button', { name: 'Save policy' })).toBeDisabled()
  },
}

/** The server refuses the change. */
export const SaveFailed: Story = {
  parameters: { msw: { handlers: [failing('put', POLICY, 403, 'FORBIDDEN')] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Save policy' }))
    await expect(await canvas.findByText('You are not allowed to do this.')).toBeVisible()
  },
}

export const Success: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByLabelText('Everyone'))
    await userEvent.click(canvas.getByRole('button', { name: 'Save policy' }))
    await expect(await canvas.findByText('Policy saved.')).toBeVisible()
    await expect(args.onSaved).toHaveBeenCalled()
  },
}
