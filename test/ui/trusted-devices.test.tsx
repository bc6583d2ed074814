import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/TrustedDevices.stories'
import { TrustedDevices } from '../../ui'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'

const { Default, Empty, Error: Offline, Loading, RevokeFailed } = composeStories(stories)

describe('TrustedDevices', () => {
  it('lists label, last use, expiry and marks this device', async () => {
    await renderStory(Default)
    const items = await screen.findAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0]).toHaveTextContent('Chrome on macOSThis device')
    expect(items[0]).toHaveAttribute('data-state', 'current')
    expect(items[0]).toHaveTextContent(/Last used \w{3} \d/)
    expect(items[1]).toHaveTextContent('Last used Never')
    expect(items[1]).toHaveTextContent(/Expires \w{3} \d/)
    await expectNoAxeViolations()
  })

  it('revokes one device after confirmation', async () => {
    const onRevoked = vi.fn()
    const { user } = renderKit(<TrustedDevices onRevoked={onRevoked} />)
    await user.click(await screen.findByRole('button', { name: 'Revoke Safari on iPhone' }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke Safari on iPhone?' })
    await expectNoAxeViolations(dialog)
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1))
    expect(onRevoked).toHaveBeenCalledTimes(1)
  })

  it('cancelling the confirmation keeps the device', async () => {
    const { user } = renderKit(<TrustedDevices />)
    await user.click(await screen.findByRole('button', { name: 'Revoke Safari on iPhone' }))
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }),
    )
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(screen.getAllByRole('listitem')).toHaveLength(2)
  })

  it('revokes all devices', async () => {
    const { user } = renderKit(<TrustedDevices />)
    await user.click(await screen.findByRole('button', { name: 'Revoke all' }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke all trusted devices?' })
    await user.click(within(dialog).getByRole('button', { name: 'Revoke all' }))
    expect(await screen.findByText('No trusted devices.')).toBeVisible()
  })

  it('shows a failed revoke inside the dialog', async () => {
    const { user } = await renderStory(RevokeFailed)
    await user.click(await screen.findByRole('button', { name: 'Revoke Safari on iPhone' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    expect(await within(dialog).findByText('Not found.')).toBeVisible()
  })

  it('has loading, empty and error states', async () => {
    let view = await renderStory(Loading)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    view.unmount()
    view = await renderStory(Empty)
    expect(await screen.findByText('No trusted devices.')).toBeVisible()
    view.unmount()
    await renderStory(Offline)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
  })
})
