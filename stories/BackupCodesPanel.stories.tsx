import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { BackupCodesPanel } from 'twofold/react'
import { authenticators, makeCodeSlots, VALID_CODE } from '../test/msw/fixtures'
import { answering, failing, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withStepUpWindow, withWebAuthn } from './decorators'

const LIST = P.twoFactor.backupCodes

const meta = {
  title: 'Settings/BackupCodesPanel',
  component: BackupCodesPanel,
  args: { onRegenerated: fn() },
} satisfies Meta<typeof BackupCodesPanel>

export default meta
type Story = StoryObj<typeof meta>

/** Seven of ten codes left. */
export const Default: Story = {
  parameters: { msw: { handlers: [answering('get', LIST, { codes: makeCodeSlots(3) })] } },
}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', LIST)] } },
}

/** Two codes left: the warning shows. */
export const Low: Story = {
  parameters: { msw: { handlers: [answering('get', LIST, { codes: makeCodeSlots(8) })] } },
}

export const Empty: Story = {
  parameters: { msw: { handlers: [answering('get', LIST, { codes: [] })] } },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', LIST)] } },
}

/** Regenerating with a wrong code. */
export const InvalidCode: Story = {
  parameters: { msw: { handlers: [failing('post', LIST, 401, 'INVALID_CODE')] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate new codes' }))
    const body = within(document.body)
    await userEvent.type(await body.findByLabelText('Authentication code'), '000000')
    await expect(await body.findByText('That code is not valid.')).toBeVisible()
  },
}

/** A new set, shown once. */
export const Success: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate new codes' }))
    const body = within(document.body)
    await userEvent.type(await body.findByLabelText('Authentication code'), VALID_CODE)
    await expect(await body.findByRole('list', { name: 'Backup codes' })).toBeVisible()
    await expect(args.onRegenerated).toHaveBeenCalled()
  },
}

/** Stepped up a moment ago: Generate is focused, no code asked. */
export const RecentlyVerified: Story = {
  loaders: [() => resetMockState()],
  decorators: [withStepUpWindow()],
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate new codes' }))
    const body = within(document.body)
    await expect(await body.findByText(/You confirmed it’s you recently/)).toBeVisible()
    await userEvent.keyboard('{Enter}')
    await expect(await body.findByRole('list', { name: 'Backup codes' })).toBeVisible()
    await expect(args.onRegenerated).toHaveBeenCalled()
  },
}

/** Only a passkey: it is offered first, the code below it. */
export const PasskeyOnly: Story = {
  loaders: [() => resetMockState({ authenticators: [authenticators[1]] })],
  decorators: [withWebAuthn()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate new codes' }))
    const body = within(document.body)
    await expect(await body.findByRole('button', { name: 'Use a passkey' })).toBeVisible()
  },
}
