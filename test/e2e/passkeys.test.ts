/**
 * Passkeys in Chromium with the DevTools protocol's virtual authenticator, against the real
 * server (WebAuthn needs a domain: the page is driven at `localhost`, the RP id its host):
 * register a passkey from the setup dialog, sign in with it by keyboard, add a second
 * authenticator app, remove it after a step-up with the passkey, and within that step-up window
 * generate new backup codes without a code.
 */
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { tabTo } from './browser'
import { ACCOUNT_HEADING, signOut, signUp, waitForHeading } from './demo-pages'
import { e2eHarness } from './harness'

const person = { email: 'kay@example.com', name: 'Kay Passkey', password: 'kay password 12' }

const e2e = e2eHarness()
let page: Page
let base: string
const pageErrors: string[] = []
/** The backup codes shown when the passkey turned 2FA on. */
let firstCodes: string[] = []

beforeAll(async () => {
  if (!e2e.ready) return
  base = e2e.server.url.replace('127.0.0.1', 'localhost')
  const context = await e2e.newContext()
  page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
})

const rows = () => page.locator('[data-slot="authenticator-list"] > li')

describe('passkeys in Chromium (virtual authenticator)', () => {
  it('registers a passkey from the setup dialog: 2FA turns on, backup codes shown', async () => {
    await signUp(page, base, person)
    await page.getByRole('button', { name: 'Enable', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Use a passkey or security key' }).click()
    const codeList = dialog.getByRole('list', { name: 'Backup codes' })
    await codeList.waitFor()
    firstCodes = await codeList.locator('code').allTextContents()
    expect(firstCodes).toHaveLength(10)
    await dialog.getByLabel('I have saved these codes').check()
    await dialog.getByRole('button', { name: 'Finish' }).click()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.locator('[data-slot="two-factor-settings"][data-state="enabled"]').waitFor()
    await expect.poll(() => rows().count()).toBe(1)
  })

  it('signs out and signs in with the passkey, offered first by the challenge, keyboard only', async () => {
    await signOut(page)
    await tabTo(page, '[data-slot="sign-in-form"] input[type="email"]')
    await page.keyboard.type(person.email)
    await tabTo(page, '[data-slot="sign-in-form"] input[type="password"]')
    await page.keyboard.type(person.password)
    await page.keyboard.press('Enter')
    await page.locator('[data-slot="challenge-passkey"]').waitFor()
    // Focus lands on the passkey (it comes first); Enter starts the browser's prompt.
    await tabTo(page, '[data-slot="challenge-passkey"] button', 'Use your passkey')
    await page.keyboard.press('Enter')
    await waitForHeading(page, ACCOUNT_HEADING)
  })

  it('adds a second authenticator app with a TOTP code', async () => {
    await page.getByRole('button', { name: 'Add authenticator app' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Name').fill('Second phone')
    await dialog.getByLabel('Name').press('Enter')
    await dialog.getByRole('button', { name: 'Show key' }).click()
    const key = dialog.locator('[data-slot="key"]')
    const secret = ((await key.textContent()) ?? '').replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
    await dialog.getByRole('button', { name: 'Continue' }).click()
    await dialog.locator('input[autocomplete="one-time-code"]').focus()
    await page.keyboard.type(await generate({ secret }))
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => rows().count()).toBe(2)
    await page.getByText('Second phone was added.').waitFor()
  })

  it('removes the app after a step-up with the passkey', async () => {
    await page.getByRole('button', { name: 'Remove Second phone' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
    const stepUp = page.locator('[data-slot="step-up-dialog"]')
    await stepUp.getByRole('button', { name: 'Use a passkey' }).click()
    await page.getByText('Second phone was removed.').waitFor()
    await expect.poll(() => rows().count()).toBe(1)
    await rows().first().getByText('Passkey or security key').waitFor()
    expect(pageErrors).toEqual([])
  })

  it('within that step-up window, generates new backup codes without typing a code', async () => {
    const bodies: Array<string | null> = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (request.method() === 'POST' && url.pathname === '/api/two-factor/backup-codes') {
        bodies.push(request.postData())
      }
    })
    const opener = page.getByRole('button', { name: 'Generate new codes' })
    await opener.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Generate new backup codes' })
    await dialog.getByText(/You confirmed it’s you recently, so no code is needed/).waitFor()
    expect(await dialog.locator('input[autocomplete="one-time-code"]').count()).toBe(0)
    await tabTo(page, '[role="dialog"] button[type="submit"]', 'Generate')
    await page.keyboard.press('Enter')
    const codeList = dialog.getByRole('list', { name: 'Backup codes' })
    await codeList.waitFor()
    const fresh = await codeList.locator('code').allTextContents()
    expect(fresh).toHaveLength(10)
    expect(fresh.filter((code) => firstCodes.includes(code))).toEqual([])
    expect(bodies).toEqual([null]) // no body: the step-up window stood in for the code
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(pageErrors).toEqual([])
  })
})
