/**
 * Every dialog of the kit gives focus back to the control that opened it when it closes by
 * Escape, Cancel or ×, so a keyboard user goes on where they were (not from <body>).
 */
import { screen, waitFor, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import {
  BackupCodesPanel,
  TrustedDevices,
  TwoFactorAdminTable,
  TwoFactorSettings,
  TwoFactorSetupDialog,
} from '../../ui'
import { Button } from '../../ui/primitives/parts'
import { resetMockState } from '../msw/handlers'
import { renderKit } from './helpers'

type Close = 'Escape' | 'Cancel' | '×'

async function close(user: UserEvent, how: Close) {
  const dialog = screen.getByRole('dialog')
  if (how === 'Escape') await user.keyboard('{Escape}')
  else {
    const name = how === 'Cancel' ? 'Cancel' : 'Close'
    await user.click(within(dialog).getByRole('button', { name }))
  }
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
}

/** Opens the dialog from `opener` with the keyboard, closes it, and checks where focus went. */
async function expectFocusReturns(user: UserEvent, opener: HTMLElement, how: Close) {
  opener.focus()
  await user.keyboard('{Enter}')
  await screen.findByRole('dialog')
  await waitFor(() =>
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true),
  )
  await close(user, how)
  expect(document.activeElement).toBe(opener)
}

describe('focus returns to the opener when a dialog closes', () => {
  it.each<Close>(['Escape', 'Cancel', '×'])('setup dialog, closed by %s', async (how) => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSettings />)
    await expectFocusReturns(user, await screen.findByRole('button', { name: 'Enable' }), how)
  })

  it.each<Close>(['Escape', 'Cancel', '×'])('disable dialog, closed by %s', async (how) => {
    const { user } = renderKit(<TwoFactorSettings />)
    await expectFocusReturns(user, await screen.findByRole('button', { name: 'Disable' }), how)
  })

  it.each<Close>(['Escape', 'Cancel', '×'])('regenerate dialog, closed by %s', async (how) => {
    const { user } = renderKit(<BackupCodesPanel />)
    const opener = await screen.findByRole('button', { name: 'Generate new codes' })
    await expectFocusReturns(user, opener, how)
  })

  it.each<Close>(['Escape', 'Cancel', '×'])('revoke-device dialogs, closed by %s', async (how) => {
    const { user } = renderKit(<TrustedDevices />)
    const one = await screen.findByRole('button', { name: 'Revoke Safari on iPhone' })
    await expectFocusReturns(user, one, how)
    await expectFocusReturns(user, screen.getByRole('button', { name: 'Revoke all' }), how)
  })

  it.each<Close>(['Escape', 'Cancel', '×'])('admin reset dialog, closed by %s', async (how) => {
    const { user } = renderKit(<TwoFactorAdminTable />)
    const opener = await screen.findByRole('button', {
      name: 'Reset 2FA of donald.knuth.3@example.com',
    })
    await expectFocusReturns(user, opener, how)
  })

  it('a dialog opened by its own trigger still returns focus to it', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSetupDialog trigger={<Button>Set up</Button>} />)
    await expectFocusReturns(user, screen.getByRole('button', { name: 'Set up' }), 'Escape')
  })

  it('after enabling, Done gives focus to the card’s button that took the opener’s place', async () => {
    resetMockState({ twoFactorEnabled: false })
    const { user } = renderKit(<TwoFactorSettings />)
    await user.click(await screen.findByRole('button', { name: 'Enable' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Get started' }))
    await user.click(await within(dialog).findByRole('button', { name: 'Continue' }))
    await user.keyboard('123456')
    await user.click(
      await within(dialog).findByRole('checkbox', { name: 'I have saved these codes' }),
    )
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }))
    await user.click(await within(dialog).findByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const disable = await screen.findByRole('button', { name: 'Disable' })
    expect(document.activeElement).not.toBe(document.body)
    expect(document.activeElement).toBe(disable)
  })
})
