/**
 * Policy "everyone" with no grace left: the kit opens setup when sign-in says the deadline has
 * passed or any call answers TWO_FACTOR_SETUP_REQUIRED, and the settings card offers Enable
 * instead of a "Try again" that repeats the refused call.
 */
import { screen, waitFor, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import {
  createTwoFactorClient,
  SignInForm,
  TrustedDevices,
  TwoFactorProvider,
  TwoFactorSettings,
} from '../../ui'
import { lateUser, PASSWORD, graceUser, VALID_CODE } from '../msw/fixtures'
import { failing, mockState, resetMockState } from '../msw/handlers'
import { expectNoAxeViolations, renderKit } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const SETUP_TITLE = 'Set up two-factor authentication'

async function signIn(user: UserEvent, email: string) {
  await user.type(screen.getByLabelText('Email'), email)
  await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
}

/** Goes through the setup dialog from its intro to done, and closes it. */
async function completeSetup(user: UserEvent) {
  const dialog = await screen.findByRole('dialog', { name: SETUP_TITLE })
  await user.click(within(dialog).getByRole('button', { name: 'Get started' }))
  await user.click(await within(dialog).findByRole('button', { name: 'Continue' }))
  await user.keyboard(VALID_CODE)
  await user.click(
    await within(dialog).findByRole('checkbox', { name: 'I have saved these codes' }),
  )
  await user.click(within(dialog).getByRole('button', { name: 'Finish' }))
  await user.click(await within(dialog).findByRole('button', { name: 'Done' }))
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
}

describe('forced setup', () => {
  it('sign-in past the deadline opens the setup dialog, which enables 2FA', async () => {
    const { user } = renderKit(<SignInForm />)
    await signIn(user, lateUser.email)
    const dialog = await screen.findByRole('dialog', { name: SETUP_TITLE })
    expect(within(dialog).getByRole('button', { name: 'Get started' })).toHaveFocus()
    await expectNoAxeViolations()
    await completeSetup(user)
    expect(mockState).toMatchObject({ twoFactorEnabled: true, fenced: false })
  })

  it('sign-in within the grace period warns, and offers setup without forcing it', async () => {
    const { user } = renderKit(<SignInForm />)
    await signIn(user, graceUser.email)
    expect(await screen.findByText(/Set it up before/)).toBeVisible()
    expect(screen.queryByRole('dialog')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Set up two-factor authentication' }))
    expect(await screen.findByRole('dialog', { name: SETUP_TITLE })).toBeVisible()
  })

  it('a call answering TWO_FACTOR_SETUP_REQUIRED opens setup; the refused list loads after it', async () => {
    resetMockState({ twoFactorEnabled: false, fenced: true })
    const { user } = renderKit(<TrustedDevices />)
    await screen.findByRole('dialog', { name: SETUP_TITLE })
    await completeSetup(user)
    expect(await screen.findByText('Chrome on macOS')).toBeVisible()
  })

  it('the fenced settings card says "now" and offers Enable; enabling reloads the card', async () => {
    resetMockState({ twoFactorEnabled: false, fenced: true })
    const { user } = renderKit(<TwoFactorSettings />)
    expect(
      await screen.findByText(/requires two-factor authentication. Set it up now/),
    ).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Enable' }))
    await completeSetup(user)
    expect(await screen.findByRole('button', { name: 'Disable' })).toBeVisible()
    expect(await screen.findByText('10 of 10 codes left')).toBeVisible()
  })

  it('a settings card whose status read is refused offers Enable, not "Try again"', async () => {
    resetMockState({ twoFactorEnabled: false })
    server.use(failing('get', P.twoFactor.status, 403, 'TWO_FACTOR_SETUP_REQUIRED'))
    const client = createTwoFactorClient()
    const { user } = renderKit(
      <TwoFactorProvider client={client} autoOpenSetup={false}>
        <TwoFactorSettings />
      </TwoFactorProvider>,
    )
    const enable = await screen.findByRole('button', { name: 'Enable' })
    expect(screen.getByText(/Set it up now/)).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull()
    await user.click(enable)
    expect(await screen.findByRole('dialog', { name: SETUP_TITLE })).toBeVisible()
  })

  it('autoOpenSetup={false} leaves it to the host, through onSetupRequired', async () => {
    resetMockState({ twoFactorEnabled: false, fenced: true })
    const onSetupRequired = vi.fn()
    renderKit(
      <TwoFactorProvider autoOpenSetup={false} onSetupRequired={onSetupRequired}>
        <TrustedDevices />
      </TwoFactorProvider>,
    )
    expect(await screen.findByText('Set up two-factor authentication to continue.')).toBeVisible()
    expect(onSetupRequired).toHaveBeenCalled()
    expect(screen.queryByRole('dialog')).toBeNull()
  })
})

describe('client.onSetupRequired', () => {
  it('fires on TWO_FACTOR_SETUP_REQUIRED and on a sign-in past its deadline, not before it', async () => {
    const client = createTwoFactorClient({ baseUrl: 'http://localhost' })
    const listener = vi.fn()
    const unsubscribe = client.onSetupRequired(listener)

    await client.auth.signIn({ email: graceUser.email, password: PASSWORD })
    expect(listener).not.toHaveBeenCalled()
    await client.auth.signIn({ email: lateUser.email, password: PASSWORD })
    expect(listener).toHaveBeenCalledTimes(1)
    await expect(client.twoFactor.listEvents()).rejects.toMatchObject({
      code: 'TWO_FACTOR_SETUP_REQUIRED',
    })
    expect(listener).toHaveBeenCalledTimes(2)

    unsubscribe()
    await client.twoFactor.listEvents().catch(() => {})
    expect(listener).toHaveBeenCalledTimes(2)
  })
})
