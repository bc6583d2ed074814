import { composeStories } from '@storybook/react-vite'
import { screen, waitFor } from '@testing-library/react'
import { http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/TwoFactorPolicyForm.stories'
import { TwoFactorPolicyForm } from '../../ui'
import { mockState, route } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const { Default, Loading, Error: Offline, SaveFailed } = composeStories(stories)

describe('TwoFactorPolicyForm', () => {
  it('loads the policy into the form', async () => {
    await renderStory(Default)
    expect(await screen.findByLabelText('No one')).toBeChecked()
    expect(screen.getByLabelText('Grace period (days)')).toHaveValue(14)
    expect(screen.getByLabelText('Allow codes by email as a fallback')).toBeChecked()
    expect(screen.getByText(/No one will be required/)).toBeVisible()
    await expectNoAxeViolations()
  })

  it('shows how many users a level affects, counted with pageSize=1 queries', async () => {
    const queries: string[] = []
    server.use(
      http.get(route(P.admin.users), ({ request }) => {
        queries.push(new URL(request.url).search)
        return undefined
      }),
    )
    const { user } = renderKit(<TwoFactorPolicyForm />)
    await user.click(await screen.findByLabelText('Admins'))
    const admins = mockState.users.filter((u) => u.role === 'admin' && !u.twoFactorEnabled).length
    const all = mockState.users.filter((u) => !u.twoFactorEnabled).length
    expect(await screen.findByText(new RegExp(`^${admins} users? do`))).toBeVisible()
    await user.click(screen.getByLabelText('Everyone'))
    expect(screen.getByText(new RegExp(`^${all} users do`))).toBeVisible()
    expect(queries).toContain('?role=admin&twoFactor=disabled&pageSize=1')
    expect(queries).toContain('?twoFactor=disabled&pageSize=1')
  })

  it('saves with the keyboard and reports it', async () => {
    const onSaved = vi.fn()
    const { user } = renderKit(<TwoFactorPolicyForm onSaved={onSaved} />)
    await user.click(await screen.findByLabelText('Everyone'))
    const grace = screen.getByLabelText('Grace period (days)')
    await user.clear(grace)
    await user.type(grace, '30')
    await user.click(screen.getByLabelText('Allow codes by email as a fallback'))
    await user.click(screen.getByRole('button', { name: 'Save policy' }))
    expect(await screen.findByText('Policy saved.')).toBeVisible()
    const saved = { enforce: 'all', gracePeriodDays: 30, emailFallback: false }
    expect(onSaved).toHaveBeenCalledWith(saved)
    expect(mockState.policy).toEqual(saved)
  })

  it('refuses grace days outside 0–90', async () => {
    const { user } = renderKit(<TwoFactorPolicyForm />)
    const grace = await screen.findByLabelText('Grace period (days)')
    await user.clear(grace)
    await user.type(grace, '91')
    expect(grace).toHaveAttribute('aria-invalid', 'true')
    expect(grace).toHaveAccessibleDescription(/Enter a whole number of days from 0 to 90/)
    expect(screen.getByRole('button', { name: 'Save policy' })).toBeDisabled()
    await user.clear(grace)
    await user.type(grace, '90')
    expect(screen.getByRole('button', { name: 'Save policy' })).toBeEnabled()
  })

  it('shows a failed save, a loading and an error state', async () => {
    let view = await renderStory(SaveFailed)
    await view.user.click(await screen.findByRole('button', { name: 'Save policy' }))
    expect(await screen.findByText('You are not allowed to do this.')).toBeVisible()
    view.unmount()
    server.resetHandlers()
    view = await renderStory(Loading)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    view.unmount()
    await renderStory(Offline)
    await waitFor(() => expect(screen.getByText(/Could not reach the server/)).toBeVisible())
  })
})
