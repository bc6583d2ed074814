import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { TwoFactorSetupDialog } from 'twofold/react'
import { VALID_CODE } from '../test/msw/fixtures'
import { failing, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'
import { withWebAuthn } from './decorators'

const SETUP = P.twoFactor.setup

const meta = {
  title: 'Settings/TwoFactorSetupDialog',
  component: TwoFactorSetupDialog,
  args: { defaultOpen: true, onEnabled: fn(), onOpenChange: fn() },
  // The mock account starts without 2FA so that setup can begin.
  loaders: [() => resetMockState({ twoFactorEnabled: false })],
} satisfies Meta<typeof TwoFactorSetupDialog>

export default meta
type Story = StoryObj<typeof meta>

const body = () => within(document.body)

async function startAndScan() {
  await userEvent.click(await body().findByRole('button', { name: 'Get started' }))
  await userEvent.click(await body().findByRole('button', { name: 'Continue' }))
  return body().findByLabelText('Authentication code')
}

/** The intro step, open. */
export const Default: Story = {}

/** Closed, with a trigger button that opens it. */
export const WithTrigger: Story = {
  args: { defaultOpen: false, trigger: <button type="button">Enable 2FA</button> },
}

/** The server is preparing the secret. */
export const Loading: Story = {
  parameters: { msw: { handlers: [loading('post', SETUP)] } },
  play: async () => {
    await userEvent.click(await body().findByRole('button', { name: 'Get started' }))
    await expect(await body().findByRole('button', { name: 'Preparing…' })).toBeDisabled()
  },
}

/** QR code and manual key. */
export const Scan: Story = {
  play: async () => {
    await userEvent.click(await body().findByRole('button', { name: 'Get started' }))
    await expect(await body().findByRole('img', { name: /QR code/ })).toBeVisible()
  },
}

/** A wrong confirmation code. */
export const InvalidCode: Story = {
  play: async () => {
    await userEvent.type(await startAndScan(), '000000')
    await expect(await body().findByText('That code is not valid.')).toBeVisible()
  },
}

/** 2FA was already on. */
export const AlreadyEnabled: Story = {
  parameters: { msw: { handlers: [failing('post', SETUP, 409, 'ALREADY_ENABLED')] } },
  play: async () => {
    await userEvent.click(await body().findByRole('button', { name: 'Get started' }))
    await expect(await body().findByText(/already enabled/)).toBeVisible()
  },
}

/** The server cannot be reached: the button offers a retry. */
export const Error: Story = {
  parameters: { msw: { handlers: [offline('post', SETUP)] } },
  play: async () => {
    await userEvent.click(await body().findByRole('button', { name: 'Get started' }))
    await expect(await body().findByRole('button', { name: 'Try again' })).toBeVisible()
  },
}

/** The new backup codes, to save before finishing. */
export const Success: Story = {
  play: async ({ args }) => {
    await userEvent.type(await startAndScan(), VALID_CODE)
    await expect(await body().findByRole('list', { name: 'Backup codes' })).toBeVisible()
    await expect(args.onEnabled).toHaveBeenCalled()
  },
}

/** Where the browser supports WebAuthn: a passkey or security key beside the authenticator app. */
export const PasskeyChoice: Story = {
  decorators: [withWebAuthn()],
}

/** A passkey turned 2FA on: its backup codes are shown as for an app. */
export const PasskeyEnabled: Story = {
  decorators: [withWebAuthn()],
  play: async ({ args }) => {
    await userEvent.click(
      await body().findByRole('button', { name: 'Use a passkey or security key' }),
    )
    await expect(await body().findByRole('list', { name: 'Backup codes' })).toBeVisible()
    await expect(args.onEnabled).toHaveBeenCalled()
  },
}

/** The passkey prompt was closed or timed out: a plain sentence; both ways stay open. */
export const PasskeyCancelled: Story = {
  decorators: [withWebAuthn('NotAllowedError')],
  play: async () => {
    await userEvent.click(
      await body().findByRole('button', { name: 'Use a passkey or security key' }),
    )
    await expect(await body().findByText(/cancelled or timed out/)).toBeVisible()
  },
}
