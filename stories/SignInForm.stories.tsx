import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { SignInForm } from 'twofold/react'
import { adaUser, graceUser, lateUser, PASSWORD, VALID_CODE } from '../test/msw/fixtures'
import { failing, loading, offline } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'

const SIGN_IN = P.auth.signIn

const meta = {
  title: 'Sign-in/SignInForm',
  component: SignInForm,
  args: { onSignedIn: fn() },
} satisfies Meta<typeof SignInForm>

export default meta
type Story = StoryObj<typeof meta>

async function signIn(canvasElement: HTMLElement, email: string, password = PASSWORD) {
  const canvas = within(canvasElement)
  await userEvent.type(canvas.getByLabelText('Email'), email)
  await userEvent.type(canvas.getByLabelText('Password'), password)
  await userEvent.click(canvas.getByRole('button', { name: 'Sign in' }))
  return canvas
}

export const Default: Story = {}

/** Waiting for the server after submitting. */
export const Loading: Story = {
  parameters: { msw: { handlers: [loading('post', SIGN_IN)] } },
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, 'someone@example.com')
    await expect(await canvas.findByRole('button', { name: 'Signing in…' })).toBeDisabled()
  },
}

/** Wrong email or password. */
export const InvalidCredentials: Story = {
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, 'someone@example.com', 'wrong password')
    await expect(await canvas.findByText('The email or password is wrong.')).toBeVisible()
  },
}

/** Too many sign-in attempts. */
export const Locked: Story = {
  parameters: {
    msw: { handlers: [failing('post', SIGN_IN, 429, 'TOO_MANY_ATTEMPTS', { retryAfter: 600 })] },
  },
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, 'someone@example.com')
    await expect(await canvas.findByText('Too many attempts. Try again later.')).toBeVisible()
  },
}

/** The account has 2FA: the challenge takes the form's place. */
export const TwoFactorRequired: Story = {
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, adaUser.email)
    await expect(await canvas.findByLabelText('Authentication code')).toHaveFocus()
  },
}

/** Signed in with 2FA. */
export const Success: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = await signIn(canvasElement, adaUser.email)
    await userEvent.type(await canvas.findByLabelText('Authentication code'), VALID_CODE)
    await expect(await canvas.findByText('You are signed in.')).toBeVisible()
    await expect(args.onSignedIn).toHaveBeenCalled()
  },
}

/** Signed in, but the policy wants 2FA set up before a deadline. */
export const SetupRequired: Story = {
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, graceUser.email)
    await expect(await canvas.findByText(/requires two-factor authentication/)).toBeVisible()
  },
}

/** Past the policy's deadline: signed in, and the provider opens the setup dialog at once. */
export const SetupRequiredNow: Story = {
  play: async ({ canvasElement }) => {
    await signIn(canvasElement, lateUser.email)
    const body = within(canvasElement.ownerDocument.body)
    await expect(
      await body.findByRole('dialog', { name: 'Set up two-factor authentication' }),
    ).toBeVisible()
  },
}

/** The server cannot be reached. */
export const Error: Story = {
  parameters: { msw: { handlers: [offline('post', SIGN_IN)] } },
  play: async ({ canvasElement }) => {
    const canvas = await signIn(canvasElement, 'someone@example.com')
    await expect(await canvas.findByText(/Could not reach the server/)).toBeVisible()
  },
}
