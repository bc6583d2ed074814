import { screen, waitFor, within } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { ApiError, isStepUpCancelled, StepUpDialog, useStepUp } from '../../ui'
import { VALID_CODE } from '../msw/fixtures'
import { mockState } from '../msw/handlers'
import { installFakeWebAuthn } from '../msw/webauthn'
import { expectNoAxeViolations, renderKit } from './helpers'

/** An app's own sensitive action behind `requireStepUp()`: 403 until the session stepped up. */
function SensitiveAction({ onDone }: { onDone: (result: string) => void }) {
  const [error, setError] = useState('')
  const run = useStepUp(async (what: string) => {
    if (mockState.stepUpUntil <= Date.now()) {
      throw new ApiError({ code: 'STEP_UP_REQUIRED', status: 403, message: 'Step up' })
    }
    return `done: ${what}`
  })
  return (
    <>
      <button
        type="button"
        onClick={() =>
          run('export').then(onDone, (caught) =>
            setError(isStepUpCancelled(caught) ? 'cancelled' : 'failed'),
          )
        }
      >
        Export data
      </button>
      <p>{error}</p>
    </>
  )
}

describe('StepUpDialog', () => {
  it('is labelled; a code opens the window; focus goes back to the opener', async () => {
    const onVerified = vi.fn()
    const { user } = renderKit(
      <StepUpDialog
        passkey={false}
        onVerified={onVerified}
        trigger={<button type="button">Confirm</button>}
      />,
    )
    await user.tab()
    await user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    expect(dialog).toHaveAccessibleDescription(/fresh check of your second factor/)
    expect(within(dialog).getByLabelText('Authentication code')).toHaveFocus()
    await expectNoAxeViolations(dialog)
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(onVerified).toHaveBeenCalledWith({ verifiedUntil: expect.any(String) })
    expect(Date.parse(onVerified.mock.calls[0][0].verifiedUntil)).toBeGreaterThan(Date.now())
    expect(screen.getByRole('button', { name: 'Confirm' })).toHaveFocus()
  })

  it('announces a wrong code, clears the field, and locks with a countdown', async () => {
    const { user } = renderKit(<StepUpDialog defaultOpen passkey={false} />)
    const dialog = await screen.findByRole('dialog')
    const input = within(dialog).getByLabelText('Authentication code')
    await user.keyboard('000000')
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('That code is not valid.')
    expect(input).toHaveValue('')
    expect(input).toHaveFocus()
    expect(input).toHaveAttribute('aria-invalid', 'true')
    mockState.stepUpAttempts = 0
    await user.keyboard('111111')
    expect(await within(dialog).findByText(/Too many attempts. Try again in 1:00/)).toBeVisible()
    expect(input).toBeDisabled()
    expect(dialog.querySelector('[data-slot="step-up"]')).toHaveAttribute('data-state', 'locked')
  })

  it('offers the passkey first when the user has one, and verifies with it', async () => {
    const fake = installFakeWebAuthn('ok')
    const onVerified = vi.fn()
    const { user } = renderKit(<StepUpDialog defaultOpen onVerified={onVerified} />)
    const dialog = await screen.findByRole('dialog')
    // Found out from the authenticators list (Ada has a security key).
    const button = await within(dialog).findByRole('button', { name: 'Use a passkey' })
    expect(button).toHaveFocus()
    await expectNoAxeViolations(dialog)
    await user.keyboard('{Enter}')
    await waitFor(() => expect(onVerified).toHaveBeenCalled())
    expect(fake.calls.get).toHaveLength(1)
    expect(mockState.stepUpUntil).toBeGreaterThan(Date.now())
  })

  it('says in a plain sentence that the passkey prompt was cancelled', async () => {
    installFakeWebAuthn('NotAllowedError')
    const { user } = renderKit(<StepUpDialog defaultOpen passkey />)
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Use a passkey' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The passkey request was cancelled or timed out. Try again when you are ready.',
    )
    expect(mockState.stepUpUntil).toBe(0)
  })

  it('does not offer a passkey where the browser has no WebAuthn', async () => {
    renderKit(<StepUpDialog defaultOpen passkey />)
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).queryByRole('button', { name: 'Use a passkey' })).toBeNull()
    expect(within(dialog).getByLabelText('Authentication code')).toHaveFocus()
  })
})

describe('useStepUp', () => {
  it('opens the dialog on STEP_UP_REQUIRED and runs the action again once verified', async () => {
    const onDone = vi.fn()
    const { user } = renderKit(<SensitiveAction onDone={onDone} />)
    await user.click(screen.getByRole('button', { name: 'Export data' }))
    const dialog = await screen.findByRole('dialog', { name: 'Confirm it’s you' })
    expect(onDone).not.toHaveBeenCalled()
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(onDone).toHaveBeenCalledWith('done: export'))
    expect(onDone).toHaveBeenCalledTimes(1)
    await waitFor(() => expect(dialog).not.toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Export data' })).toHaveFocus()
    // Within the window, the next run needs no dialog.
    await user.click(screen.getByRole('button', { name: 'Export data' }))
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(2))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('rejects with StepUpCancelledError when the user closes the dialog', async () => {
    const onDone = vi.fn()
    const { user } = renderKit(<SensitiveAction onDone={onDone} />)
    await user.click(screen.getByRole('button', { name: 'Export data' }))
    await screen.findByRole('dialog')
    await user.keyboard('{Escape}')
    expect(await screen.findByText('cancelled')).toBeVisible()
    expect(onDone).not.toHaveBeenCalled()
  })

  it('retries only once: a second STEP_UP_REQUIRED fails the action', async () => {
    let calls = 0
    function Always() {
      const [text, setText] = useState('')
      const run = useStepUp(async () => {
        calls++
        throw new ApiError({ code: 'STEP_UP_REQUIRED', status: 403, message: 'Step up' })
      })
      return (
        <button type="button" onClick={() => run().catch((e: ApiError) => setText(e.code))}>
          Go {text}
        </button>
      )
    }
    const { user } = renderKit(<Always />)
    await user.click(screen.getByRole('button', { name: /Go/ }))
    await screen.findByRole('dialog')
    await user.keyboard(VALID_CODE)
    expect(await screen.findByRole('button', { name: 'Go STEP_UP_REQUIRED' })).toBeVisible()
    expect(calls).toBe(2)
  })

  it('passes other failures through without a dialog', async () => {
    function Other() {
      const [text, setText] = useState('')
      const run = useStepUp(async () => {
        throw new ApiError({ code: 'LAST_AUTHENTICATOR', status: 409, message: 'x' })
      })
      return (
        <button type="button" onClick={() => run().catch((e: ApiError) => setText(e.code))}>
          Go {text}
        </button>
      )
    }
    const { user } = renderKit(<Other />)
    await user.click(screen.getByRole('button', { name: /Go/ }))
    expect(await screen.findByRole('button', { name: 'Go LAST_AUTHENTICATOR' })).toBeVisible()
    expect(screen.queryByRole('dialog')).toBeNull()
  })
})
