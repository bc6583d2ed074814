import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/BackupCodesPanel.stories'
import { BackupCodesPanel } from '../../ui'
import { makeBackupCodes, VALID_CODE } from '../msw/fixtures'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'

const { Default, Low, Empty, Error: Offline, Loading, InvalidCode } = composeStories(stories)

describe('BackupCodesPanel', () => {
  it('shows remaining of total and every slot, used with its date', async () => {
    await renderStory(Default)
    expect(await screen.findByText('7 of 10 codes left')).toBeVisible()
    const slots = screen.getAllByRole('listitem')
    expect(slots).toHaveLength(10)
    expect(slots[0]).toHaveAttribute('data-state', 'used')
    expect(slots[0]).toHaveTextContent(/Code 1Used \w{3} \d{1,2}, \d{4}/)
    expect(slots[9]).toHaveAttribute('data-state', 'unused')
    expect(slots[9]).toHaveTextContent('Unused')
    expect(screen.queryByText(/running low/)).toBeNull()
    await expectNoAxeViolations()
  })

  it('warns at three or fewer', async () => {
    await renderStory(Low)
    expect(await screen.findByText('2 of 10 codes left')).toBeVisible()
    expect(screen.getByText(/running low/)).toBeVisible()
    expect(document.querySelector('[data-slot="backup-codes-panel"]')).toHaveAttribute(
      'data-state',
      'low',
    )
  })

  it('has loading, empty and error states', async () => {
    let view = await renderStory(Loading)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    view.unmount()
    view = await renderStory(Empty)
    expect(await screen.findByText('You have no backup codes yet.')).toBeVisible()
    view.unmount()
    await renderStory(Offline)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
    expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible()
  })

  it('regenerates after a TOTP code and shows the new set once', async () => {
    const onRegenerated = vi.fn()
    const { user } = renderKit(<BackupCodesPanel onRegenerated={onRegenerated} />)
    await user.click(await screen.findByRole('button', { name: 'Generate new codes' }))
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    expect(within(dialog).getByLabelText('Authentication code')).toHaveFocus()
    await expectNoAxeViolations(dialog)
    await user.keyboard(VALID_CODE)
    const list = await within(dialog).findByRole('list', { name: 'Backup codes' })
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(makeBackupCodes(1))
    expect(onRegenerated).toHaveBeenCalledWith(makeBackupCodes(1))
    await user.click(within(dialog).getByRole('button', { name: 'Copy codes' }))
    expect(await navigator.clipboard.readText()).toBe(makeBackupCodes(1).join('\n'))
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(await screen.findByText('10 of 10 codes left')).toBeVisible()
  })

  it('downloads the new codes as a .txt file and prints them', async () => {
    const { user } = renderKit(<BackupCodesPanel />)
    await user.click(await screen.findByRole('button', { name: 'Generate new codes' }))
    await user.keyboard(VALID_CODE)
    const dialog = await screen.findByRole('dialog')
    await within(dialog).findByRole('list', { name: 'Backup codes' })
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('twofold-backup-codes.txt')
    })
    await user.click(within(dialog).getByRole('button', { name: 'Download .txt' }))
    expect(clicked).toHaveBeenCalledTimes(1)
    const print = vi.fn()
    vi.spyOn(HTMLIFrameElement.prototype, 'contentWindow', 'get').mockReturnValue({
      focus: vi.fn(),
      print,
    } as unknown as Window)
    await user.click(within(dialog).getByRole('button', { name: 'Print' }))
    expect(print).toHaveBeenCalledTimes(1)
    const frame = document.querySelector('iframe')
    expect(frame?.contentDocument?.body.textContent).toContain(makeBackupCodes(1)[0])
  })

  it('announces a wrong code in the dialog', async () => {
    const { user } = await renderStory(InvalidCode)
    await user.click(await screen.findByRole('button', { name: 'Generate new codes' }))
    await user.keyboard('000000')
    expect(await screen.findByText('That code is not valid.')).toBeVisible()
    await waitFor(() => expect(screen.getByLabelText('Authentication code')).toHaveValue(''))
  })
})
