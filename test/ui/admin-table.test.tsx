import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import * as stories from '../../stories/TwoFactorAdminTable.stories'
import { TwoFactorAdminTable } from '../../ui'
import { mockState, route } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const { Default, Empty, Error: Offline, Forbidden, Loading } = composeStories(stories)

function recordQueries() {
  const queries: URLSearchParams[] = []
  server.use(
    http.get(route(P.admin.users), ({ request }) => {
      queries.push(new URL(request.url).searchParams)
      return undefined
    }),
  )
  return queries
}

const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1)

describe('TwoFactorAdminTable', () => {
  it('shows adoption, the columns and the first page', async () => {
    await renderStory(Default)
    expect(
      await screen.findByText('11 of 32 users use two-factor authentication (34%)'),
    ).toBeVisible()
    expect(screen.getByRole('progressbar', { name: 'Two-factor adoption' })).toHaveAttribute(
      'aria-valuenow',
      '11',
    )
    await screen.findByText('ada@example.com')
    const headers = screen.getAllByRole('columnheader').map((th) => th.textContent)
    expect(headers).toEqual([
      'Email',
      'Name',
      'Role',
      '2FA',
      'Backup codes left',
      'Last sign-in',
      'Locked until',
      'Actions',
    ])
    expect(rows()).toHaveLength(10)
    expect(screen.getByText('1–10 of 32')).toBeVisible()
    expect(rows()[0]).toHaveTextContent(/On since/)
    await expectNoAxeViolations()
  })

  it('searches, filters and pages on the server', async () => {
    const queries = recordQueries()
    const { user } = renderKit(<TwoFactorAdminTable pageSize={10} />)
    await screen.findByText('ada@example.com')
    await user.click(screen.getByRole('button', { name: 'Next page' }))
    await screen.findByText('11–20 of 32')
    expect(queries.at(-1)?.get('page')).toBe('2')

    await user.selectOptions(screen.getByLabelText('2FA status'), 'enabled')
    await screen.findByText('1–10 of 11')
    expect(queries.at(-1)?.get('twoFactor')).toBe('enabled')
    expect(queries.at(-1)?.get('page')).toBe('1')

    await user.selectOptions(screen.getByLabelText('Role'), 'admin')
    await waitFor(() => expect(queries.at(-1)?.get('role')).toBe('admin'))

    await user.selectOptions(screen.getByLabelText('2FA status'), '')
    await user.selectOptions(screen.getByLabelText('Role'), '')
    await user.type(screen.getByLabelText('Search users'), 'knuth')
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('knuth'))
    await waitFor(() => expect(rows()).toHaveLength(6))
    expect(queries.at(-1)?.get('pageSize')).toBe('10')
  })

  it('resets a user’s 2FA with a reason, after confirmation', async () => {
    const { user } = renderKit(<TwoFactorAdminTable pageSize={10} />)
    await user.click(
      await screen.findByRole('button', { name: 'Reset 2FA of donald.knuth.3@example.com' }),
    )
    const dialog = await screen.findByRole('dialog', { name: /Reset two-factor authentication/ })
    await expectNoAxeViolations(dialog)
    await user.type(within(dialog).getByLabelText(/Reason/), 'Lost phone')
    await user.click(within(dialog).getByRole('button', { name: 'Reset 2FA' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const row = screen.getByText('donald.knuth.3@example.com').closest('tr')!
    await waitFor(() => expect(row).toHaveTextContent(/Off/))
    expect(
      screen.queryByRole('button', { name: 'Reset 2FA of donald.knuth.3@example.com' }),
    ).toBeNull()
    expect(
      await screen.findByText('10 of 32 users use two-factor authentication (31%)'),
    ).toBeVisible()
  })

  it('shows CANNOT_RESET_SELF in the dialog', async () => {
    const { user } = renderKit(<TwoFactorAdminTable />)
    await user.click(await screen.findByRole('button', { name: 'Reset 2FA of ada@example.com' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Reset 2FA' }))
    expect(await within(dialog).findByText(/cannot reset your own/)).toBeVisible()
  })

  it('unlocks a locked user and changes roles', async () => {
    const { user } = renderKit(<TwoFactorAdminTable pageSize={10} />)
    const locked = 'edsger.dijkstra.4@example.com'
    const row = (await screen.findByText(locked)).closest('tr')!
    expect(row).toHaveAttribute('data-state', 'locked')
    await user.click(within(row).getByRole('button', { name: `Unlock ${locked}` }))
    await waitFor(() => expect(within(row).queryByRole('button', { name: /Unlock/ })).toBeNull())
    expect(mockState.users.find((u) => u.email === locked)?.lockedUntil).toBeNull()

    await user.click(within(row).getByRole('button', { name: `Make admin: ${locked}` }))
    await waitFor(() => expect(row).toHaveTextContent('Admin'))
    expect(within(row).getByRole('button', { name: `Make user: ${locked}` })).toBeVisible()
  })

  it('has loading, empty, forbidden and error states', async () => {
    let view = await renderStory(Loading)
    expect(screen.getAllByRole('status')[0]).toHaveTextContent('Loading…')
    view.unmount()
    view = await renderStory(Empty)
    expect(await screen.findByText('No users match.')).toBeVisible()
    view.unmount()
    view = await renderStory(Forbidden)
    expect(await screen.findByText('You are not allowed to do this.')).toBeVisible()
    view.unmount()
    await renderStory(Offline)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
    expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible()
  })
})
