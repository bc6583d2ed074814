/**
 * Disable and regenerate within a step-up window: the contract lets both go without a code while
 * the session counts as recently verified. The page knows of a window from the last StepUpDialog
 * that succeeded in it; the server has the last word (403 STEP_UP_REQUIRED opens the dialog).
 */
import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import { BackupCodesPanel, StepUpDialog, TwoFactorSettings } from '../../ui'
import { API_PATHS as P } from '../../shared/api-paths'
import * as panelStories from '../../stories/BackupCodesPanel.stories'
import * as settingsStories from '../../stories/TwoFactorSettings.stories'
import { authenticators, makeBackupCodes, VALID_BACKUP_CODE, VALID_CODE } from '../msw/fixtures'
import { mockState, resetMockState, route } from '../msw/handlers'
import { installFakeWebAuthn } from '../msw/webauthn'
import { expectNoAxeViolations, renderKit } from './helpers'
import { server } from './server'

const settings = composeStories(settingsStories)
const panel = composeStories(panelStories)

/** The raw bodies POSTed to `path`, in order (the shared handlers still answer). */
function recordBodies(path: string) {
  const bodies: string[] = []
  server.use(
    http.post(route(path), async ({ request }) => {
      bodies.push(await request.clone().text())
      return undefined
    }),
  )
  return bodies
}

/** A page with a step-up of its own (say, before removing an authenticator) beside the card. */
function Page({ children }: { children: React.ReactNode }) {
  return (
    <>
      <StepUpDialog passkey={false} trigger={<button type="button">Confirm it’s you</button>} />
      {children}
    </>
  )
}

/** Steps up with a code through the page's own StepUpDialog, by keyboard. */
async function stepUp(user: UserEvent) {
  screen.getByRole('button', { name: 'Confirm it’s you' }).focus()
  await user.keyboard('{Enter}')
  await screen.findByRole('dialog', { name: 'Confirm it’s you' })
  await user.keyboard(VALID_CODE)
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  expect(mockState.stepUpUntil).toBeGreaterThan(Date.now())
}

/**
 * Renders `ui` beside the page's own StepUpDialog and steps up through it, so the page knows of
 * a window; `expired`: the server's window has ended since (it ran out, or another tab signed
 * out and in). Returns the user and the button named `opener`.
 */
async function afterStepUp(ui: React.ReactElement, opener: string, { expired = false } = {}) {
  const { user } = renderKit(<Page>{ui}</Page>)
  const button = await screen.findByRole('button', { name: opener })
  await stepUp(user)
  if (expired) mockState.stepUpUntil = 0
  return { user, opener: button }
}

const passkeyOnly = () =>
  resetMockState({ authenticators: authenticators.filter((each) => each.type === 'passkey') })

describe('disable within a step-up window', () => {
  it('only asks to confirm, sends no body, and gives focus back to the opener', async () => {
    const bodies = recordBodies(P.twoFactor.disable)
    const { user, opener } = await afterStepUp(<TwoFactorSettings />, 'Disable')
    opener.focus()
    await user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    expect(dialog).toHaveAccessibleDescription(/You confirmed it’s you recently/)
    expect(within(dialog).queryByRole('textbox')).toBeNull()
    await expectNoAxeViolations(dialog)
    // Cancel comes first: a destructive confirmation is never one stray Enter away.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.tab()
    expect(within(dialog).getByRole('button', { name: 'Disable' })).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual([''])
    expect(mockState.twoFactorEnabled).toBe(false)
    // The opener is the card's one button, now reading Enable.
    await waitFor(() => expect(opener).toHaveFocus())
    expect(await screen.findByRole('button', { name: 'Enable' })).toBe(opener)
  })

  it('falls back to the step-up dialog when the server’s window is over, then disables', async () => {
    const bodies = recordBodies(P.twoFactor.disable)
    const { user, opener } = await afterStepUp(<TwoFactorSettings />, 'Disable', { expired: true })
    await user.click(opener)
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }))
    const check = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    expect(within(check).getByLabelText('Authentication code')).toHaveFocus()
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual(['', ''])
    expect(mockState.twoFactorEnabled).toBe(false)
  })

  it('says so when the step-up is cancelled; the code still works after that', async () => {
    const bodies = recordBodies(P.twoFactor.disable)
    const { user, opener } = await afterStepUp(<TwoFactorSettings />, 'Disable', { expired: true })
    await user.click(opener)
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }))
    await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    await user.keyboard('{Escape}')
    expect(
      await within(dialog).findByText('Not confirmed, so nothing was changed.'),
    ).toHaveAttribute('role', 'alert')
    expect(mockState.twoFactorEnabled).toBe(true)
    // The page no longer claims a window: the dialog asks for a code again, focus in the field.
    const input = within(dialog).getByLabelText('Authentication code or backup code')
    await waitFor(() => expect(input).toHaveFocus())
    expect(input).not.toHaveAttribute('aria-invalid') // nothing wrong was typed
    expect(dialog).toHaveAccessibleDescription(/Enter a code from your authenticator app/)
    await user.type(input, `${VALID_BACKUP_CODE}{Enter}`)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual(['', JSON.stringify({ code: VALID_BACKUP_CODE })])
    expect(mockState.twoFactorEnabled).toBe(false)
  })

  it('outside a window sends the code, as before', async () => {
    const bodies = recordBodies(P.twoFactor.disable)
    const { user } = renderKit(<TwoFactorSettings />)
    await user.click(await screen.findByRole('button', { name: 'Disable' }))
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    expect(within(dialog).getByRole('button', { name: 'Disable' })).toBeDisabled()
    await user.type(within(dialog).getByLabelText(/backup code/), `${VALID_CODE}{Enter}`)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual([JSON.stringify({ code: VALID_CODE })])
  })

  it('lets a passkey-only user disable with their passkey, by keyboard', async () => {
    passkeyOnly()
    installFakeWebAuthn('ok')
    const bodies = recordBodies(P.twoFactor.disable)
    const { user } = renderKit(<TwoFactorSettings />)
    const opener = await screen.findByRole('button', { name: 'Disable' })
    opener.focus()
    await user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog', { name: /Disable two-factor/ })
    // Offered first, as the step-up dialog does: for this user it is the only way.
    const passkey = await within(dialog).findByRole('button', { name: 'Use a passkey' })
    await waitFor(() => expect(passkey).toHaveFocus())
    await expectNoAxeViolations(dialog)
    await user.keyboard('{Enter}')
    const check = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    const again = await within(check).findByRole('button', { name: 'Use a passkey' })
    await waitFor(() => expect(again).toHaveFocus())
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual(['', ''])
    expect(mockState.twoFactorEnabled).toBe(false)
    await waitFor(() => expect(opener).toHaveFocus())
  })
})

describe('regenerate within a step-up window', () => {
  it('generates at once from the focused button, with no body', async () => {
    const bodies = recordBodies(P.twoFactor.backupCodes)
    const { user, opener } = await afterStepUp(<BackupCodesPanel />, 'Generate new codes')
    opener.focus()
    await user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    expect(dialog).toHaveAccessibleDescription(/You confirmed it’s you recently/)
    expect(within(dialog).queryByLabelText('Authentication code')).toBeNull()
    expect(within(dialog).getByRole('button', { name: 'Generate' })).toHaveFocus()
    await expectNoAxeViolations(dialog)
    await user.keyboard('{Enter}')
    const list = await within(dialog).findByRole('list', { name: 'Backup codes' })
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(makeBackupCodes(1))
    expect(bodies).toEqual([''])
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(opener).toHaveFocus()
  })

  it('falls back to the step-up dialog on STEP_UP_REQUIRED, then generates', async () => {
    const bodies = recordBodies(P.twoFactor.backupCodes)
    const { user, opener } = await afterStepUp(<BackupCodesPanel />, 'Generate new codes', {
      expired: true,
    })
    await user.click(opener)
    await user.keyboard('{Enter}')
    await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    await user.keyboard(VALID_CODE)
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    expect(await within(dialog).findByRole('list', { name: 'Backup codes' })).toBeVisible()
    expect(bodies).toEqual(['', ''])
  })

  it('after a cancelled step-up, asks for the code (focused), which then works', async () => {
    const bodies = recordBodies(P.twoFactor.backupCodes)
    const { user, opener } = await afterStepUp(<BackupCodesPanel />, 'Generate new codes', {
      expired: true,
    })
    await user.click(opener)
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    await user.keyboard('{Enter}')
    await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    await user.keyboard('{Escape}')
    expect(
      await within(dialog).findByText('Not confirmed, so nothing was changed.'),
    ).toHaveAttribute('role', 'alert')
    const input = within(dialog).getByLabelText('Authentication code')
    await waitFor(() => expect(input).toHaveFocus())
    expect(mockState.regenerations).toBe(0)
    await user.keyboard(VALID_CODE)
    expect(await within(dialog).findByRole('list', { name: 'Backup codes' })).toBeVisible()
    expect(bodies).toEqual(['', JSON.stringify({ code: VALID_CODE })])
  })

  it('lets a passkey-only user generate with their passkey, offered first', async () => {
    passkeyOnly()
    installFakeWebAuthn('ok')
    const bodies = recordBodies(P.twoFactor.backupCodes)
    const { user } = renderKit(<BackupCodesPanel />)
    await user.click(await screen.findByRole('button', { name: 'Generate new codes' }))
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    const passkey = await within(dialog).findByRole('button', { name: 'Use a passkey' })
    await waitFor(() => expect(passkey).toHaveFocus())
    expect(within(dialog).getByLabelText('Authentication code')).toHaveAccessibleDescription(
      /^Or enter a code from your authenticator app/,
    )
    await expectNoAxeViolations(dialog)
    await user.keyboard('{Enter}')
    const check = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    await waitFor(() =>
      expect(within(check).getByRole('button', { name: 'Use a passkey' })).toHaveFocus(),
    )
    await user.keyboard('{Enter}')
    expect(await within(dialog).findByRole('list', { name: 'Backup codes' })).toBeVisible()
    expect(bodies).toEqual(['', ''])
    expect(mockState.regenerations).toBe(1)
  })

  it('outside a window sends the TOTP code, as before', async () => {
    const bodies = recordBodies(P.twoFactor.backupCodes)
    const { user } = renderKit(<BackupCodesPanel />)
    await user.click(await screen.findByRole('button', { name: 'Generate new codes' }))
    const dialog = await screen.findByRole('dialog', { name: 'Generate new backup codes' })
    expect(within(dialog).getByLabelText('Authentication code')).toHaveFocus()
    await user.keyboard(VALID_CODE)
    await within(dialog).findByRole('list', { name: 'Backup codes' })
    expect(bodies).toEqual([JSON.stringify({ code: VALID_CODE })])
  })
})

describe('stories of the step-up states', () => {
  // Loaders, decorators and play functions run as in Storybook; each ends in a state axe checks.
  it.each([
    ['DisableRecentlyVerified', settings.DisableRecentlyVerified],
    ['DisableStepUpRequired', settings.DisableStepUpRequired],
    ['DisablePasskeyOnly', settings.DisablePasskeyOnly],
    ['RecentlyVerified', panel.RecentlyVerified],
    ['PasskeyOnly', panel.PasskeyOnly],
  ])('%s plays through, axe clean', async (_name, Story) => {
    await Story.run()
    await expectNoAxeViolations()
  })
})
