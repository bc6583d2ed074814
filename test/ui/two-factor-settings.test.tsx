import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import * as stories from '../../stories/TwoFactorSettings.stories'
import { TwoFactorSettings } from '../../ui'
import { VALID_BACKUP_CODE, VALID_CODE } from '../msw/fixtures'
import { resetMockState } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'

const { Default, Required, Error: Offline, Loading } = composeStories(stories)

describe('TwoFactorSettings', () => {
  it('shows status, enabled since, backup codes and devices', async () => {
    await renderStory(Default)
    expect(await screen.findByText(/^Enabled since/)).toBeVisible()
    expect(screen.getByText('On')).toHaveAttribute('data-state', 'enabled')
    expect(await screen.findByText('7 of 10 codes left')).toBeVisible()
    expect(await screen.findByText('Chrome on macOS')).toBeVisible()
    await expectNoAxeViolations()
  })

  it('shows the policy banner with its deadline when 2FA is required', async () => {
    await renderStory(Required)
    expect(
      await screen.findByText(/requires two-factor authentication. Set it up before/),
    ).toBeVisible()
    expect(screen.getByRole('button', { name: 'Enable' })).toBeVisible()
    await expectNoAxeViolations()
  })

  it('enables through the setup dialog and refreshes', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSettings />)
    await user.click(await screen.findByRole('button', { name: 'Enable' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Get started' }))
    await user.click(await within(dialog).findByRole('button', { name: 'Continue' }))
    await user.keyboard(VALID_CODE)
    await within(dialog).findByRole('list', { name: 'Backup codes' })
    await user.click(within(dialog).getByRole('checkbox', { name: 'I have saved these codes' }))
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }))
    await user.click(await within(dialog).findByRole('button', { name: 'Done' }))
    expect(await screen.findByRole('button', { name: 'Disable' })).toBeVisible()
    expect(await screen.findByText('10 of 10 codes left')).toBeVisible()
  })

  it('disables with a backup code, and refuses a wrong one', async () => {
    const { user } = renderKit(<TwoFactorSettings />)
    await user.click(await screen.findByRole('button', { name: 'Disable' }))
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    const input = within(dialog).getByLabelText('Authentication code or backup code')
    await expectNoAxeViolations(dialog)
    await user.type(input, '000000{Enter}')
    expect(await within(dialog).findByText('That code is not valid.')).toBeVisible()
    await user.type(input, `${VALID_BACKUP_CODE}{Enter}`)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(await screen.findByRole('button', { name: 'Enable' })).toBeVisible()
    expect(screen.getByText('Two-factor authentication is not enabled.')).toBeVisible()
  })

  it('has loading and error states', async () => {
    const view = await renderStory(Loading)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    view.unmount()
    await renderStory(Offline)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
  })
})
