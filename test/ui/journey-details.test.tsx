/**
 * Smaller defects of the browser journey: the challenge names the account and can go back to the
 * password step; the last admin is not offered "Make user"; event times carry seconds; the demo
 * does not probe the session (a 401 in the console) when nobody signed in on this browser.
 */
import { act, renderHook, screen, waitFor, within } from '@testing-library/react'
import { http } from 'msw'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { EventTable } from '../../demo/event-table'
import { SESSION_HINT, useSession } from '../../demo/session'
import {
  createTwoFactorClient,
  SignInForm,
  TwoFactorAdminTable,
  TwoFactorProvider,
  type AuditEvent,
} from '../../ui'
import { adaUser, events, makeAdminUsers, PASSWORD } from '../msw/fixtures'
import { failing, mockState, resetMockState, route } from '../msw/handlers'
import { expectNoAxeViolations, renderKit } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

describe('the challenge', () => {
  it('names the account signing in and goes back to the password step', async () => {
    const { user } = renderKit(<SignInForm />)
    await user.type(screen.getByLabelText('Email'), adaUser.email)
    await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    await screen.findByLabelText('Authentication code')
    const challenge = document.querySelector('[data-slot="two-factor-challenge"]') as HTMLElement
    expect(within(challenge).getByText(adaUser.email)).toBeVisible()
    expect(challenge).toHaveTextContent(`Signing in as ${adaUser.email}`)
    await expectNoAxeViolations()

    await user.click(screen.getByRole('button', { name: 'Use another account' }))
    const email = await screen.findByLabelText('Email')
    expect(email).toHaveFocus()
    expect(email).toHaveValue(adaUser.email)
    expect(screen.getByLabelText('Password')).toHaveValue('')
    expect(document.querySelector('[data-slot="two-factor-challenge"]')).toBeNull()
  })
})

describe('the admin table and the last admin', () => {
  const onlyAda = () =>
    makeAdminUsers().map((u) => (u.id === adaUser.id ? u : { ...u, role: 'user' as const }))

  it('offers no "Make user" on the only admin, and offers it again once there is another', async () => {
    resetMockState({ users: onlyAda() })
    const { user } = renderKit(<TwoFactorAdminTable pageSize={10} />)
    const adaRow = (await screen.findByText(adaUser.email)).closest('tr')!
    await waitFor(() => expect(adaRow).toHaveTextContent('Only admin'))
    expect(within(adaRow).queryByRole('button', { name: /Make user/ })).toBeNull()
    await expectNoAxeViolations()

    const other = 'donald.knuth.3@example.com'
    const otherRow = screen.getByText(other).closest('tr')!
    await user.click(within(otherRow).getByRole('button', { name: `Make admin: ${other}` }))
    expect(
      await within(adaRow).findByRole('button', { name: `Make user: ${adaUser.email}` }),
    ).toBeEnabled()
    await user.click(within(otherRow).getByRole('button', { name: `Make user: ${other}` }))
    await waitFor(() =>
      expect(within(adaRow).queryByRole('button', { name: /Make user/ })).toBeNull(),
    )
  })

  it('shows the API’s 409 LAST_ADMIN when the demotion loses a race', async () => {
    server.use(failing('patch', P.admin.user, 409, 'LAST_ADMIN'))
    const { user } = renderKit(<TwoFactorAdminTable pageSize={10} />)
    await user.click(await screen.findByRole('button', { name: `Make user: ${adaUser.email}` }))
    expect(await screen.findByText('The last administrator cannot be demoted.')).toBeVisible()
  })

  it('the mock answers 409 LAST_ADMIN like the API', async () => {
    resetMockState({ users: onlyAda() })
    const client = createTwoFactorClient({ baseUrl: 'http://localhost' })
    await expect(client.admin.setRole(adaUser.id, { role: 'user' })).rejects.toMatchObject({
      status: 409,
      code: 'LAST_ADMIN',
    })
    expect(mockState.users[0].role).toBe('admin')
  })
})

describe('event times', () => {
  it('carry seconds, so events of the same minute read in order', () => {
    const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, second)).toISOString()
    const sameMinute: AuditEvent[] = [
      { ...events[0], id: 'evt_b', createdAt: at(41) },
      { ...events[1], id: 'evt_a', createdAt: at(7) },
    ]
    renderKit(<EventTable events={sameMinute} caption="Events" />)
    const times = screen
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.querySelector('time')!)
    const [later, earlier] = times.map((time) => time.textContent)
    expect(later).not.toBe(earlier)
    expect(later).toMatch(/:41\b/)
    expect(earlier).toMatch(/:07\b/)
  })
})

describe('the demo’s session probe', () => {
  const probes: string[] = []
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <TwoFactorProvider>{children}</TwoFactorProvider>
  )
  const client = createTwoFactorClient({ baseUrl: 'http://localhost' })
  function recordProbes() {
    probes.length = 0
    server.use(
      http.get(route(P.auth.session), () => {
        probes.push('GET /api/auth/session')
        return undefined
      }),
    )
  }
  afterEach(() => localStorage.clear())

  it('does not ask the server when nobody signed in on this browser (no 401 to log)', async () => {
    recordProbes()
    const { result } = renderHook(() => useSession(client), { wrapper })
    await waitFor(() => expect(result.current.state.status).toBe('signed-out'))
    expect(probes).toEqual([])
  })

  it('asks after a sign-in on this browser, and forgets the hint on sign-out or a 401', async () => {
    recordProbes()
    const first = renderHook(() => useSession(client), { wrapper })
    await waitFor(() => expect(first.result.current.state.status).toBe('signed-out'))
    act(() => first.result.current.signedIn(adaUser))
    expect(localStorage.getItem(SESSION_HINT)).not.toBeNull()
    first.unmount()

    const reload = renderHook(() => useSession(client), { wrapper })
    await waitFor(() => expect(reload.result.current.state).toMatchObject({ user: adaUser }))
    expect(probes).toHaveLength(1)
    await act(() => reload.result.current.signOut())
    expect(localStorage.getItem(SESSION_HINT)).toBeNull()
    reload.unmount()

    localStorage.setItem(SESSION_HINT, '1')
    server.use(failing('get', P.auth.session, 401, 'UNAUTHORIZED'))
    const expired = renderHook(() => useSession(client), { wrapper })
    await waitFor(() => expect(expired.result.current.state.status).toBe('signed-out'))
    expect(localStorage.getItem(SESSION_HINT)).toBeNull()
  })
})
