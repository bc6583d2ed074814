/** What a person does on the demo's pages, in Playwright terms. */
import type { Page } from 'playwright-core'

export const ACCOUNT_HEADING = 'Account security'
export const WELCOME_HEADING = 'Welcome to the Twofold demo'

export interface Person {
  email: string
  name: string
  password: string
}

export async function waitForHeading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name }).waitFor()
}

export async function signUp(page: Page, base: string, person: Person) {
  await page.goto(`${base}/#/sign-up`)
  const form = page.locator('[data-slot="sign-up-form"]')
  await form.getByLabel('Email').fill(person.email)
  await form.getByLabel('Name').fill(person.name)
  await form.getByLabel('Password').fill(person.password)
  await form.getByRole('button', { name: 'Create account' }).click()
  await waitForHeading(page, ACCOUNT_HEADING)
}

/**
 * Email and password, submitted with Enter. Answers what came next: the account page, or the
 * two-factor challenge.
 */
export async function signInWithPassword(
  page: Page,
  person: Person,
): Promise<'account' | 'challenge'> {
  const form = page.locator('[data-slot="sign-in-form"]')
  await form.getByLabel('Email').fill(person.email)
  await form.getByLabel('Password').fill(person.password)
  await form.getByLabel('Password').press('Enter')
  const account = page.getByRole('heading', { level: 1, name: ACCOUNT_HEADING })
  const challenge = page.locator('[data-slot="two-factor-challenge"]')
  await account.or(challenge).waitFor()
  return (await challenge.isVisible()) ? 'challenge' : 'account'
}

export async function signOut(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click()
  await waitForHeading(page, WELCOME_HEADING)
  await page.locator('[data-slot="sign-in-form"]').waitFor()
}

/** The focused element is the one-time-code input of the challenge or the setup dialog. */
export function otpInputFocused(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.activeElement?.getAttribute('autocomplete') === 'one-time-code',
  )
}

/** Current Unix time in seconds. */
export const unixNow = () => Math.floor(Date.now() / 1000)
