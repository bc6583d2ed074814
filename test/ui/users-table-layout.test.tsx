import { composeStories } from '@storybook/react-vite'
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import * as stories from '../../stories/TwoFactorAdminTable.stories'
import { compactDate } from '../../ui/primitives/compact-date'
import { mockState } from '../msw/handlers'
import { renderStory } from './helpers'

const { Width360 } = composeStories(stories)

const full = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  )

describe('compactDate', () => {
  const now = new Date(2026, 10, 23, 15, 0)
  it('shows the time today, month and day this year, the date before', () => {
    expect(compactDate(new Date(2026, 10, 23, 9, 5).toISOString(), 'en-US', now)).toBe('9:05 AM')
    expect(compactDate(new Date(2026, 9, 20, 14, 50).toISOString(), 'en-US', now)).toBe('Oct 20')
    expect(compactDate(new Date(2025, 9, 20, 14, 50).toISOString(), 'en-US', now)).toBe(
      'Oct 20, 2025',
    )
  })
})

describe('users table cells', () => {
  it('shows a 2FA badge and a compact date whose full time is focusable and read', async () => {
    const { user } = await renderStory(Width360)
    const ada = mockState.users[0]!
    const row = (await screen.findByText(ada.email)).closest('tr')!
    const cell = row.querySelector('[data-column="twoFactor"]')!
    expect(within(row).getByText('On')).toHaveAttribute('data-tone', 'success')
    const since = cell.querySelector('time')!
    expect(since).toHaveAttribute('datetime', ada.twoFactorEnabledAt)
    expect(since).toHaveAttribute('data-full', full(ada.twoFactorEnabledAt!))
    expect(since.querySelector('[aria-hidden="true"]')).toHaveTextContent(
      compactDate(ada.twoFactorEnabledAt!, 'en-US'),
    )
    expect(cell).toHaveTextContent(`On since ${compactDate(ada.twoFactorEnabledAt!, 'en-US')}`)
    expect(since.querySelector('[data-slot="visually-hidden"]')).toHaveTextContent(
      full(ada.twoFactorEnabledAt!),
    )
    await user.click(screen.getByLabelText('Search users'))
    for (let i = 0; i < 8 && document.activeElement !== since; i++) await user.tab()
    expect(since).toHaveFocus()
  })

  it('shows Off without a date, and a lockout as a warning badge with its time', async () => {
    await renderStory(Width360)
    const off = mockState.users.find((u) => !u.twoFactorEnabled)!
    const offRow = (await screen.findByText(off.email)).closest('tr')!
    const offCell = offRow.querySelector('[data-column="twoFactor"]')!
    expect(offCell).toHaveTextContent(/^Off$/)
    expect(within(offRow).getByText('Off')).toHaveAttribute('data-tone', 'neutral')
    expect(offRow.querySelector('[data-column="backupCodes"]')).toHaveAttribute(
      'data-state',
      'empty',
    )
    const locked = mockState.users.find((u) => u.lockedUntil)!
    const lockedCell = (await screen.findByText(locked.email))
      .closest('tr')!
      .querySelector('[data-column="lockedUntil"]')!
    expect(lockedCell.querySelector('[data-slot="badge"]')).toHaveAttribute('data-tone', 'warning')
    expect(lockedCell.querySelector('time')).toHaveAttribute('data-full', full(locked.lockedUntil!))
    expect(lockedCell).toHaveAttribute('data-label', 'Locked until')
  })
})
