import { composeStories } from '@storybook/react-vite'
import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import * as stories from '../../stories/SignInForm.stories'
import { SignInForm } from '../../ui'
import { adaUser, graceUser, PASSWORD, statusRequired, VALID_CODE } from '../msw/fixtures'
import { failing } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const { Default, Error: Offline, Locked } = composeStories(stories)

describe('SignInForm', () => {
  it('renders a labelled form without axe violations', async () => {
    await renderStory(Default)
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeVisible()
    expect(screen.getByLabelText('Email')).toHaveAttribute('autocomplete', 'username')
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password')
    await expectNoAxeViolations()
  })

  it('signs in through the challenge with the keyboard alone', async () => {
    const onSignedIn = vi.fn()
    const { user } = renderKit(<SignInForm onSignedIn={onSignedIn} />)
    await user.tab()
    await user.keyboard(adaUser.email)
    await user.tab()
    await user.keyboard(`${PASSWORD}{Enter}`)
    const code = await screen.findByLabelText('Authentication code')
    expect(code).toHaveFocus()
    await expectNoAxeViolations()
    await user.keyboard(VALID_CODE)
    expect(await screen.findByText('You are signed in.')).toBeVisible()
    expect(onSignedIn).toHaveBeenCalledWith(
      expect.objectContaining({ user: adaUser, method: 'totp', session: expect.any(Object) }),
    )
  })

  it('shows wrong credentials and marks the fields invalid', async () => {
    const { user } = renderKit(<SignInForm />)
    await user.type(screen.getByLabelText('Email'), 'someone@example.com')
    await user.type(screen.getByLabelText('Password'), 'nope nope{Enter}')
    expect(await screen.findByText('The email or password is wrong.')).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true')
    await expectNoAxeViolations()
  })

  it('passes twoFactorSetupRequired and its deadline on and shows a notice', async () => {
    const onSignedIn = vi.fn()
    const { user } = renderKit(<SignInForm onSignedIn={onSignedIn} />)
    await user.type(screen.getByLabelText('Email'), graceUser.email)
    await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    expect(
      await screen.findByText(/requires two-factor authentication. Set it up before/),
    ).toBeVisible()
    expect(onSignedIn).toHaveBeenCalledWith(
      expect.objectContaining({
        twoFactorSetupRequired: true,
        setupDeadline: statusRequired.setupDeadline,
      }),
    )
  })

  it('goes back to the form, email kept, when the challenge expires', async () => {
    server.use(failing('post', P.auth.signInTwoFactor, 401, 'INVALID_CHALLENGE'))
    const { user } = renderKit(<SignInForm />)
    await user.type(screen.getByLabelText('Email'), adaUser.email)
    await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    await screen.findByLabelText('Authentication code')
    await user.keyboard('999999')
    expect(await screen.findByText('Your sign-in attempt expired. Sign in again.')).toBeVisible()
    expect(screen.getByLabelText('Email')).toHaveValue(adaUser.email)
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveFocus())
  })

  it('reports a lockout and a network failure', async () => {
    let rendered = await renderStory(Locked)
    await rendered.user.type(screen.getByLabelText('Email'), 'x@example.com')
    await rendered.user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    expect(await screen.findByText('Too many attempts. Try again later.')).toBeVisible()
    rendered.unmount()
    server.resetHandlers()
    rendered = await renderStory(Offline)
    await rendered.user.type(screen.getByLabelText('Email'), 'x@example.com')
    await rendered.user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
  })
})
