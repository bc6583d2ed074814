import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/TwoFactorSetupDialog.stories'
import { TwoFactorSetupDialog } from '../../ui'
import { setupResponse, VALID_CODE } from '../msw/fixtures'
import { failing, offline, resetMockState } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const { Default, AlreadyEnabled, WithTrigger } = composeStories(stories)
const SETUP = P.twoFactor.setup

describe('TwoFactorSetupDialog', () => {
  it('is a labelled dialog that opens on its intro with focus on Get started', async () => {
    await renderStory(Default)
    const dialog = await screen.findByRole('dialog', { name: 'Set up two-factor authentication' })
    expect(dialog).toHaveAccessibleDescription(/Protect your account/)
    expect(within(dialog).getByRole('button', { name: 'Get started' })).toHaveFocus()
    await expectNoAxeViolations(dialog)
  })

  it('can be completed with the keyboard alone', async () => {
    resetMockState({ twoFactorEnabled: false })
    const onEnabled = vi.fn()
    const onOpenChange = vi.fn()
    const { user } = renderKit(
      <TwoFactorSetupDialog defaultOpen onEnabled={onEnabled} onOpenChange={onOpenChange} />,
    )
    await screen.findByRole('dialog')
    await user.keyboard('{Enter}') // Get started

    // Scan: the QR code is an image of the server's SVG, never injected markup.
    const qr = await screen.findByRole('img', { name: /QR code/ })
    expect(qr.getAttribute('src')).toBe(
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setupResponse.qrCodeSvg)}`,
    )
    expect(document.querySelector('[data-slot="two-factor-setup-dialog"] svg')).toBeNull()
    expect(screen.getByRole('button', { name: 'Continue' })).toHaveFocus()
    await expectNoAxeViolations(screen.getByRole('dialog'))
    await user.keyboard('{Enter}')

    // Confirm: the code field has focus; six digits submit by themselves.
    expect(await screen.findByLabelText('Authentication code')).toHaveFocus()
    await user.keyboard(VALID_CODE)

    // Backup codes: finishing needs the "saved" box ticked.
    const list = await screen.findByRole('list', { name: 'Backup codes' })
    expect(within(list).getAllByRole('listitem')).toHaveLength(10)
    expect(onEnabled).toHaveBeenCalledWith(expect.objectContaining({ enabled: true }))
    expect(screen.getByRole('button', { name: 'Copy codes' })).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Finish' })).toBeDisabled()
    await user.keyboard('{Escape}') // refused: the codes are not saved yet
    expect(screen.getByRole('dialog')).toBeInTheDocument()
    await user.tab() // Download
    await user.tab() // Print
    await user.tab() // "I have saved these codes"
    expect(screen.getByRole('checkbox', { name: 'I have saved these codes' })).toHaveFocus()
    await user.keyboard(' ')
    await user.tab()
    expect(screen.getByRole('button', { name: 'Finish' })).toHaveFocus()
    await user.keyboard('{Enter}')

    // Done.
    expect(await screen.findByText('Two-factor authentication is on.')).toBeVisible()
    expect(screen.getByRole('button', { name: 'Done' })).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(onOpenChange).toHaveBeenLastCalledWith(false)
  })

  it('groups the manual key in fours, hidden until revealed, and copies it', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    const reveal = await screen.findByRole('button', { name: 'Show key' })
    expect(screen.queryByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeNull()
    await user.click(reveal)
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeVisible()
    expect(screen.getByRole('button', { name: 'Hide key' })).toHaveAttribute('aria-pressed', 'true')
    await user.click(screen.getByRole('button', { name: 'Copy key' }))
    expect(await navigator.clipboard.readText()).toBe(setupResponse.secret)
    expect(await screen.findByText('Copied to the clipboard.')).toBeVisible()
  })

  it('announces a wrong code, clears it and keeps focus in the field', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    await user.click(await screen.findByRole('button', { name: 'Continue' }))
    await user.keyboard('000000')
    expect(await screen.findByText('That code is not valid.')).toBeVisible()
    const input = screen.getByLabelText('Authentication code')
    await waitFor(() => expect(input).toHaveValue(''))
    expect(input).toHaveFocus()
    await expectNoAxeViolations(screen.getByRole('dialog'))
  })

  it('reports ALREADY_ENABLED', async () => {
    const { user } = await renderStory(AlreadyEnabled)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    expect(await screen.findByText(/already enabled/)).toBeVisible()
  })

  it('offers a retry after a network failure, and the retry works', async () => {
    resetMockState({ twoFactorEnabled: false })
    server.use(offline('post', SETUP))
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
    server.resetHandlers()
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('img', { name: /QR code/ })).toBeVisible()
  })

  it('keeps the code after a network failure on confirm so it can be retried', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    await user.click(await screen.findByRole('button', { name: 'Continue' }))
    server.use(offline('post', `${SETUP}/verify`))
    await user.keyboard(VALID_CODE)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
    expect(screen.getByLabelText('Authentication code')).toHaveValue(VALID_CODE)
    server.resetHandlers()
    await user.click(screen.getByRole('button', { name: 'Verify and enable' }))
    expect(await screen.findByRole('list', { name: 'Backup codes' })).toBeVisible()
  })

  it('goes back to the start when the server has no pending setup', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    await user.click(await screen.findByRole('button', { name: 'Get started' }))
    await user.click(await screen.findByRole('button', { name: 'Continue' }))
    server.use(failing('post', `${SETUP}/verify`, 400, 'NO_PENDING_SETUP'))
    await user.keyboard(VALID_CODE)
    expect(await screen.findByText('Start two-factor setup first.')).toBeVisible()
    expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible()
  })

  it('opens from its trigger', async () => {
    const { user } = await renderStory(WithTrigger)
    expect(screen.queryByRole('dialog')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Enable 2FA' }))
    expect(await screen.findByRole('dialog')).toBeVisible()
  })
})
