/**
 * Passkeys in Chromium with the DevTools protocol's virtual authenticator, against the real
 * server (WebAuthn needs a domain: the page is driven at `localhost`, the RP id its host):
 * register a passkey from the setup dialog, sign in with it, add a second authenticator app and
 * remove it after a step-up with the passkey.
 */
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { ACCOUNT_HEADING, signInWithPassword, signOut, signUp, waitForHeading } from './demo-pages'
import { e2eHarness } from './harness'

const person = { email: 'kay@example.com', name: 'Kay Passkey', password: 'kay password 12' }

const e2e = e2eHarness()
let page: Page
let base: string
const pageErrors: string[] = []

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
    expect(await codeList.locator('code').count()).toBe(10)
    await dialog.getByLabel('I have saved these codes').check()
    await dialog.getByRole('button', { name: 'Finish' }).click()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.locator('[data-slot="two-factor-settings"][data-state="enabled"]').waitFor()
    await expect.poll(() => rows().count()).toBe(1)
  })

  it('signs out and signs in with the passkey, offered first by the challenge', async () => {
    await signOut(page)
    expect(await signInWithPassword(page, person)).toBe('challenge')
    const passkey = page.locator('[data-slot="challenge-passkey"]')
    await passkey.waitFor()
    await passkey.getByRole('button', { name: 'Use your passkey' }).click()
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
})
