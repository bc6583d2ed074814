import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Authenticators, TwoFactorSettings } from '../../ui'
import { API_PATHS as P } from '../../shared/api-paths'
import { NEW_PASSKEY_ID, VALID_CODE } from '../msw/fixtures'
import { failing, mockState, resetMockState } from '../msw/handlers'
import { installFakeWebAuthn } from '../msw/webauthn'
import { server } from './server'
import { expectNoAxeViolations, renderKit } from './helpers'

const rowOf = (name: string) =>
  screen.getByText(name, { selector: '[data-slot="authenticator-name"]' }).closest('li')!

async function confirmRemove(user: ReturnType<typeof renderKit>['user']) {
  const dialog = await screen.findByRole('dialog')
  await user.click(within(dialog).getByRole('button', { name: 'Remove' }))
}

describe('Authenticators', () => {
  it('lists name, type, added and last used, and sits in the settings card', async () => {
    renderKit(<TwoFactorSettings />)
    const section = await screen.findByRole('region', { name: 'Authenticators' })
    const app = await within(section).findByText('Authenticator app', {
      selector: '[data-slot="authenticator-name"]',
    })
    const appRow = app.closest('li')!
    expect(appRow).toHaveTextContent(/Authenticator app.*Added .*Last used /)
    const keyRow = rowOf('YubiKey 5C')
    expect(keyRow).toHaveAttribute('data-type', 'passkey')
    expect(keyRow).toHaveTextContent('Passkey or security key')
    expect(keyRow).toHaveTextContent('Never used')
    expect(within(section).getByRole('button', { name: 'Add authenticator app' })).toBeVisible()
    // jsdom has no WebAuthn: no passkey to add here.
    expect(within(section).queryByRole('button', { name: 'Add passkey' })).toBeNull()
    await expectNoAxeViolations()
  })

  it('renames in place by keyboard; Escape cancels; focus returns to Rename', async () => {
    const { user } = renderKit(<Authenticators />)
    const rename = await screen.findByRole('button', { name: 'Rename YubiKey 5C' })
    rename.focus()
    await user.keyboard('{Enter}')
    const field = screen.getByLabelText('New name for YubiKey 5C')
    expect(field).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(screen.queryByLabelText('New name for YubiKey 5C')).toBeNull()
    expect(screen.getByRole('button', { name: 'Rename YubiKey 5C' })).toHaveFocus()

    await user.keyboard('{Enter}')
    await user.clear(screen.getByLabelText('New name for YubiKey 5C'))
    await user.keyboard('{Enter}')
    expect(await screen.findByText('Enter a name of 1 to 64 characters.')).toBeVisible()
    await user.keyboard('  Key in the safe  {Enter}')
    expect(await screen.findByRole('button', { name: 'Rename Key in the safe' })).toHaveFocus()
    expect(mockState.authenticators[1].name).toBe('Key in the safe')
    expect(screen.getByText('Renamed to Key in the safe.')).toBeVisible()
  })

  it('removes through the step-up dialog, then moves focus on', async () => {
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Remove YubiKey 5C' }))
    const confirm = await screen.findByRole('dialog', { name: 'Remove YubiKey 5C?' })
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }))
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    expect(mockState.authenticators).toHaveLength(2)
    await expectNoAxeViolations(stepUp)
    await user.keyboard(VALID_CODE)
    expect(await screen.findByText('YubiKey 5C was removed.')).toBeVisible()
    await waitFor(() => expect(screen.queryByText('YubiKey 5C')).toBeNull())
    expect(mockState.authenticators.map((each) => each.name)).toEqual(['Authenticator app'])
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Add authenticator app' })).toHaveFocus(),
    )
  })

  it('within a step-up window removes without asking again; the last one is refused', async () => {
    mockState.stepUpUntil = Date.now() + 60_000
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Remove YubiKey 5C' }))
    await confirmRemove(user)
    expect(await screen.findByText('YubiKey 5C was removed.')).toBeVisible()
    await user.click(await screen.findByRole('button', { name: 'Remove Authenticator app' }))
    await confirmRemove(user)
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You cannot remove your last authenticator. Turn off two-factor authentication instead.',
    )
    expect(mockState.authenticators).toHaveLength(1)
  })

  it('cancelling the step-up removes nothing and says so', async () => {
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Remove YubiKey 5C' }))
    await confirmRemove(user)
    await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(rowOf('YubiKey 5C')).toBeInTheDocument()
    expect(mockState.authenticators).toHaveLength(2)
    expect(screen.queryByText(/removed/)).toBeNull()
  })

  it('adds a second authenticator app: name, QR code, confirming code', async () => {
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Add authenticator app' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add an authenticator app' })
    const name = within(dialog).getByLabelText('Name')
    expect(name).toHaveFocus()
    await user.clear(name)
    await user.keyboard('Work phone{Enter}')
    await user.click(await within(dialog).findByRole('button', { name: 'Continue' }))
    await user.keyboard('000000')
    expect(await within(dialog).findByText('That code is not valid.')).toBeVisible()
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(await screen.findByText('Work phone was added.')).toBeVisible()
    expect(rowOf('Work phone')).toHaveAttribute('data-type', 'totp')
  })

  it('adds a passkey through the browser prompt; says when it is already there', async () => {
    const fake = installFakeWebAuthn('ok')
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Add passkey' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add a passkey or security key' })
    await user.clear(within(dialog).getByLabelText('Name'))
    await user.keyboard('MacBook{Enter}')
    expect(await screen.findByText('MacBook was added.')).toBeVisible()
    expect(mockState.passkeyIds[NEW_PASSKEY_ID]).toBeDefined()
    // The options' excluded credentials reached the browser as bytes.
    const publicKey = fake.calls.create[0].publicKey!
    expect(publicKey.excludeCredentials?.length).toBe(1)

    installFakeWebAuthn('InvalidStateError')
    await user.click(screen.getByRole('button', { name: 'Add passkey' }))
    const again = await screen.findByRole('dialog')
    await user.click(within(again).getByRole('button', { name: 'Continue' }))
    expect(
      await within(again).findByText(
        'This passkey or security key is already registered to your account.',
      ),
    ).toHaveAttribute('role', 'alert')
  })

  it('shows the server’s PASSKEY_EXISTS as a sentence too', async () => {
    installFakeWebAuthn('ok')
    mockState.passkeyIds[NEW_PASSKEY_ID] = 'auth_key'
    const { user } = renderKit(<Authenticators />)
    await user.click(await screen.findByRole('button', { name: 'Add passkey' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }))
    expect(
      await within(dialog).findByText('This passkey or security key is already registered.'),
    ).toHaveAttribute('role', 'alert')
  })

  it('announces a failed load; shows nothing on a server without the routes', async () => {
    server.use(failing('get', P.twoFactor.authenticators, 500, 'INTERNAL_ERROR'))
    const { unmount } = renderKit(<Authenticators />)
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong.')
    unmount()
    resetMockState()
    server.use(failing('get', P.twoFactor.authenticators, 404, 'NOT_FOUND'))
    const { container } = renderKit(<Authenticators />)
    await waitFor(() => expect(container.querySelector('[data-slot="loading"]')).toBeNull())
    expect(container.querySelector('[data-slot="authenticators"]')).toBeNull()
  })
})
