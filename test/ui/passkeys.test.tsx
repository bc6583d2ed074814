import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import * as adminStories from '../../stories/TwoFactorAdminTable.stories'
import { TwoFactorChallenge, TwoFactorSetupDialog } from '../../ui'
import { challenge, passkeyChallenge, PASSKEY_ID, VALID_CODE } from '../msw/fixtures'
import { failing, mockState, resetMockState } from '../msw/handlers'
import { installFakeWebAuthn, type FakeWebAuthn } from '../msw/webauthn'
import { API_PATHS as P } from '../../shared/api-paths'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'

const { Default: AdminDefault } = composeStories(adminStories)

describe('TwoFactorChallenge with a passkey', () => {
  it('offers the passkey first and signs in with it by keyboard', async () => {
    const fake = installFakeWebAuthn('ok')
    const onSignedIn = vi.fn()
    const { user } = renderKit(
      <TwoFactorChallenge challenge={passkeyChallenge} onSignedIn={onSignedIn} />,
    )
    const button = screen.getByRole('button', { name: 'Use your passkey' })
    expect(button).toHaveFocus()
    expect(screen.queryByLabelText('Authentication code')).toBeNull()
    await expectNoAxeViolations()
    await user.keyboard(' ') // the remember checkbox is after it; Space presses the button
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled())
    expect(onSignedIn.mock.calls[0][0]).toMatchObject({
      status: 'authenticated',
      method: 'passkey',
    })
    // The browser was asked with the options bound to this challenge: only Ada's passkey.
    const allowed = fake.calls.get[0].publicKey!.allowCredentials!
    expect(allowed).toHaveLength(1)
    expect(new Uint8Array(allowed[0].id as ArrayBuffer)).toEqual(
      Uint8Array.from(atob(PASSKEY_ID.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
        c.charCodeAt(0),
      ),
    )
  })

  it('falls back to a code', async () => {
    installFakeWebAuthn('ok')
    const onSignedIn = vi.fn()
    const { user } = renderKit(
      <TwoFactorChallenge challenge={passkeyChallenge} onSignedIn={onSignedIn} />,
    )
    await user.click(screen.getByRole('button', { name: 'Use a code instead' }))
    expect(screen.getByLabelText('Authentication code')).toHaveFocus()
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled())
    expect(onSignedIn.mock.calls[0][0].method).toBe('totp')
    expect(screen.getByRole('button', { name: 'Use a passkey instead' })).toBeVisible()
  })

  it.each<[FakeWebAuthn, RegExp]>([
    ['NotAllowedError', /^The passkey request was cancelled or timed out/],
    ['SecurityError', /^Passkeys cannot be used on this address/],
    ['AbortError', /^The passkey request was interrupted/],
  ])('%s from the browser reads as a plain sentence, with a retry', async (mode, sentence) => {
    installFakeWebAuthn(mode)
    const { user } = renderKit(<TwoFactorChallenge challenge={passkeyChallenge} />)
    await user.click(screen.getByRole('button', { name: 'Use your passkey' }))
    expect(await screen.findByText(sentence)).toHaveAttribute('role', 'alert')
    const retry = screen.getByRole('button', { name: 'Try your passkey again' })
    expect(retry).toHaveFocus()
    // Nothing went to the server: no attempt was used up.
    expect(mockState.attemptsRemaining).toBe(5)
  })

  it('counts a passkey the server refuses like a wrong code', async () => {
    installFakeWebAuthn('stranger')
    const { user } = renderKit(<TwoFactorChallenge challenge={passkeyChallenge} />)
    await user.click(screen.getByRole('button', { name: 'Use your passkey' }))
    expect(await screen.findByText('That passkey was not accepted. 4 attempts left.')).toBeVisible()
  })

  it('keeps to codes without WebAuthn or without a passkey in the challenge', async () => {
    const { unmount } = renderKit(<TwoFactorChallenge challenge={passkeyChallenge} />)
    expect(screen.getByLabelText('Authentication code')).toHaveFocus()
    expect(screen.queryByRole('button', { name: /passkey/ })).toBeNull()
    unmount()
    installFakeWebAuthn('ok')
    renderKit(<TwoFactorChallenge challenge={challenge} />)
    expect(screen.getByLabelText('Authentication code')).toHaveFocus()
    expect(screen.queryByRole('button', { name: /passkey/ })).toBeNull()
  })
})

describe('TwoFactorSetupDialog with a passkey', () => {
  it('offers the passkey beside the app; it turns 2FA on with backup codes', async () => {
    resetMockState({ twoFactorEnabled: false, authenticators: [], passkeyIds: {} })
    installFakeWebAuthn('ok')
    const onEnabled = vi.fn()
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen onEnabled={onEnabled} />)
    const dialog = await screen.findByRole('dialog', { name: 'Set up two-factor authentication' })
    expect(within(dialog).getByRole('button', { name: 'Get started' })).toHaveFocus()
    const passkey = within(dialog).getByRole('button', { name: 'Use a passkey or security key' })
    expect(passkey).toHaveAccessibleDescription(/fingerprint, face or PIN/)
    await expectNoAxeViolations(dialog)
    await user.tab()
    await user.tab()
    expect(passkey).toHaveFocus()
    await user.keyboard('{Enter}')
    const codes = await within(dialog).findByRole('list', { name: 'Backup codes' })
    expect(within(codes).getAllByRole('listitem')).toHaveLength(10)
    expect(onEnabled).toHaveBeenCalledWith({ enabled: true, backupCodes: expect.any(Array) })
    expect(mockState.twoFactorEnabled).toBe(true)
    expect(mockState.authenticators).toMatchObject([{ type: 'passkey', name: 'Passkey' }])
  })

  it('says the prompt was cancelled, and the app stays on offer', async () => {
    resetMockState({ twoFactorEnabled: false })
    installFakeWebAuthn('NotAllowedError')
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Use a passkey or security key' }))
    expect(await within(dialog).findByText(/cancelled or timed out/)).toHaveAttribute(
      'role',
      'alert',
    )
    expect(within(dialog).getByRole('button', { name: 'Get started' })).toBeEnabled()
    expect(mockState.twoFactorEnabled).toBe(false)
  })

  it('shows INVALID_CREDENTIAL from the server as its sentence', async () => {
    resetMockState({ twoFactorEnabled: false })
    installFakeWebAuthn('ok')
    server.use(failing('post', P.twoFactor.passkeys, 400, 'INVALID_CREDENTIAL'))
    const { user } = renderKit(<TwoFactorSetupDialog defaultOpen />)
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Use a passkey or security key' }))
    expect(
      await within(dialog).findByText('The passkey could not be verified. Try again.'),
    ).toBeVisible()
  })
})

describe('admin users table', () => {
  it('shows each user’s authenticators by type', async () => {
    await renderStory(AdminDefault)
    const ada = (await screen.findByText('ada@example.com')).closest('tr')!
    const counts = ada.querySelector('[data-slot="authenticator-counts"]')!
    expect(counts).toHaveTextContent('1 app, 1 passkey')
    expect(counts).toHaveAttribute('data-passkey', '1')
    const off = screen.getAllByRole('row').find((row) => row.dataset.state === 'disabled')!
    expect(off.querySelector('[data-slot="authenticator-counts"]')).toBeNull()
  })
})
