import { composeStories } from '@storybook/react-vite'
import { screen, waitFor } from '@testing-library/react'
import { http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/TwoFactorChallenge.stories'
import { TwoFactorChallenge } from '../../ui'
import { challenge, VALID_BACKUP_CODE, VALID_CODE } from '../msw/fixtures'
import { failing, mockState, route } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const {
  Default,
  Locked,
  Expired,
  Error: Offline,
  WithoutEmail,
  EmailResendWait,
} = composeStories(stories)

describe('TwoFactorChallenge', () => {
  it('offers one real one-time-code input, focused, and has no axe violations', async () => {
    await renderStory(Default)
    const input = screen.getByLabelText('Authentication code')
    expect(input).toHaveAttribute('autocomplete', 'one-time-code')
    expect(input).toHaveAttribute('inputmode', 'numeric')
    expect(input).toHaveFocus()
    expect(screen.getAllByRole('textbox')).toHaveLength(1)
    await expectNoAxeViolations()
  })

  it('submits by itself at six digits, keyboard only, with rememberDevice', async () => {
    const onSignedIn = vi.fn()
    let sent: unknown
    server.use(
      http.post(route(P.auth.signInTwoFactor), async ({ request }) => {
        sent = await request.clone().json()
        return undefined // fall through to the shared handler
      }),
    )
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onSignedIn={onSignedIn} />)
    await user.tab() // to the remember checkbox
    await user.keyboard(' ')
    await user.tab({ shift: true }) // back to the code
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1))
    expect(onSignedIn.mock.calls[0][0]).toMatchObject({ status: 'authenticated', method: 'totp' })
    expect(sent).toEqual({
      challengeToken: challenge.token,
      code: VALID_CODE,
      method: 'totp',
      rememberDevice: true,
    })
  })

  it('sends one request when Enter follows the auto-submit', async () => {
    const onSignedIn = vi.fn()
    let requests = 0
    server.use(
      http.post(route(P.auth.signInTwoFactor), () => {
        requests++
        return undefined
      }),
    )
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onSignedIn={onSignedIn} />)
    await user.keyboard(`${VALID_CODE}{Enter}`)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1))
    expect(requests).toBe(1)
  })

  it('shows the resend wait when an email code is asked for too soon', async () => {
    const { user } = await renderStory(EmailResendWait)
    await user.click(screen.getByRole('button', { name: 'Email me a code' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(/try again|wait|too many/i)
    expect(screen.getByRole('button', { name: /Send a new code in 0:4\d/ })).toBeDisabled()
  })

  it('accepts a pasted code', async () => {
    const onSignedIn = vi.fn()
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onSignedIn={onSignedIn} />)
    await user.paste(VALID_CODE)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled())
  })

  it('announces a wrong code with the attempts left and clears the field', async () => {
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} />)
    await user.keyboard('000000')
    const alert = await screen.findByText('That code is not valid. 4 attempts left.')
    expect(alert.closest('[role="alert"]')).toHaveAttribute('aria-live', 'assertive')
    const input = screen.getByLabelText('Authentication code')
    await waitFor(() => expect(input).toHaveValue(''))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveFocus()
    await user.keyboard('111111')
    expect(await screen.findByText('That code is not valid. 3 attempts left.')).toBeVisible()
    await expectNoAxeViolations()
  })

  it('locks with a countdown from retryAfter, then lets the user try again', async () => {
    server.use(failing('post', P.auth.signInTwoFactor, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 2 }))
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} />)
    await user.keyboard('222222')
    expect(await screen.findByText('Too many attempts. Try again in 0:02.')).toBeVisible()
    expect(screen.getByLabelText('Authentication code')).toBeDisabled()
    expect(screen.getByRole('button', { name: 'Verify' })).toBeDisabled()
    await waitFor(() => expect(screen.getByLabelText('Authentication code')).toBeEnabled(), {
      timeout: 4000,
    })
    expect(screen.getByRole('alert')).toHaveTextContent('')
  })

  it('shows the Locked story state', async () => {
    const { user } = await renderStory(Locked)
    await user.keyboard('111111')
    expect(await screen.findByText(/Try again in 1:(30|29)/)).toBeVisible()
    await expectNoAxeViolations()
  })

  it('calls onExpired when the challenge is no longer valid', async () => {
    const { user } = await renderStory(Expired)
    await user.keyboard('333333')
    expect(await screen.findByText(/has expired/)).toBeVisible()
    await waitFor(() => expect(Expired.args.onExpired).toHaveBeenCalledTimes(1))
  })

  it('treats the last allowed wrong code as an expired challenge', async () => {
    const onExpired = vi.fn()
    mockState.attemptsRemaining = 1
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onExpired={onExpired} />)
    await user.keyboard('444444')
    await waitFor(() => expect(onExpired).toHaveBeenCalledTimes(1))
    expect(await screen.findByText(/has expired/)).toBeVisible()
  })

  it('switches to a plain input for backup codes and sends method backup_code', async () => {
    const onSignedIn = vi.fn()
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onSignedIn={onSignedIn} />)
    await user.click(screen.getByRole('button', { name: 'Use a backup code instead' }))
    const input = screen.getByLabelText('Backup code')
    expect(input).toHaveFocus()
    expect(input).toHaveAttribute('placeholder', 'XXXXX-XXXXX')
    await user.keyboard(`${VALID_BACKUP_CODE.toLowerCase()}{Enter}`)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled())
    expect(onSignedIn.mock.calls[0][0]).toMatchObject({
      method: 'backup_code',
      backupCodesRemaining: 6,
    })
  })

  it('emails a code, shows where it went and a resend countdown, then sends method email', async () => {
    const onSignedIn = vi.fn()
    const { user } = renderKit(<TwoFactorChallenge challenge={challenge} onSignedIn={onSignedIn} />)
    await user.click(screen.getByRole('button', { name: 'Email me a code' }))
    expect(await screen.findByText('We sent a 6-digit code to a***@example.com.')).toBeVisible()
    expect(screen.getByRole('button', { name: /Send a new code in 0:(30|29)/ })).toBeDisabled()
    expect(screen.getByLabelText('Authentication code')).toHaveFocus()
    await user.keyboard(VALID_CODE)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled())
    expect(onSignedIn.mock.calls[0][0]).toMatchObject({ method: 'email' })
  })

  it('offers no email when the challenge does not allow it', async () => {
    await renderStory(WithoutEmail)
    expect(screen.queryByRole('button', { name: 'Email me a code' })).toBeNull()
  })

  it('reports a network failure', async () => {
    const { user } = await renderStory(Offline)
    await user.keyboard(VALID_CODE)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
  })
})
