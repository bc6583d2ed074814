/**
 * The whole journey in Chromium against the real server (api/start.ts: demo build + API on a
 * fresh database): sign up, enable TOTP, sign in with a code, with a backup code and a
 * remembered device, revoke the device, and an admin's reset. The challenge is keyboard only.
 */
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, screenshot, tabTo } from './browser'
import {
  ACCOUNT_HEADING,
  otpInputFocused,
  signInWithPassword,
  signOut,
  signUp,
  unixNow,
  waitForHeading,
  type Person,
} from './demo-pages'
import { e2eHarness } from './harness'

const admin: Person = {
  email: 'admin@example.com',
  name: 'Ada Admin',
  password: 'admin password 1',
}
const user: Person = {
  email: 'grace@example.com',
  name: 'Grace User',
  password: 'grace password 1',
}

const e2e = e2eHarness()
let adminPage: Page
let page: Page
const consoleErrors: string[] = []

async function newPage() {
  const context = await e2e.newContext()
  const created = await context.newPage()
  created.setDefaultTimeout(20_000)
  created.on('pageerror', (error) => consoleErrors.push(String(error)))
  return created
}

beforeAll(async () => {
  if (!e2e.ready) return
  adminPage = await newPage()
  page = await newPage()
})

describe('the demo journey in Chromium', () => {
  let secret = ''
  let backupCodes: string[] = []

  it('signs up the first account, which is the admin', async () => {
    await signUp(adminPage, e2e.server.url, admin)
    await adminPage.getByRole('link', { name: 'Administration' }).waitFor()
    await screenshot(adminPage, 'admin-signed-up')
  })

  it('signs up a user and enables TOTP with the manual key from the setup dialog', async () => {
    await page.goto(`${e2e.server.url}/#/sign-up`)
    await screenshot(page, 'sign-up-page')
    expect(await axeViolations(page)).toEqual([])
    await signUp(page, e2e.server.url, user)
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0)
    await screenshot(page, 'user-account')

    await page.getByRole('button', { name: 'Enable', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Get started' }).click()
    await dialog.getByRole('button', { name: 'Show key' }).click()
    secret = ((await dialog.locator('[data-slot="key"]').textContent()) ?? '').replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
    await screenshot(page, 'setup-scan')
    expect(await axeViolations(page)).toEqual([])

    await dialog.getByRole('button', { name: 'Continue' }).click()
    await dialog.locator('[data-slot="setup-confirm"]').waitFor()
    expect(await otpInputFocused(page)).toBe(true)
    await page.keyboard.type(await generate({ secret }))
    const codeList = dialog.getByRole('list', { name: 'Backup codes' })
    await codeList.waitFor()
    backupCodes = await codeList.locator('code').allTextContents()
    expect(backupCodes).toHaveLength(10)
    await screenshot(page, 'setup-backup-codes')

    await dialog.getByLabel('I have saved these codes').check()
    await dialog.getByRole('button', { name: 'Finish' }).click()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.locator('[data-slot="two-factor-settings"][data-state="enabled"]').waitFor()
    await screenshot(page, 'two-factor-on')
  })

  it('signs out and signs in with a TOTP code, keyboard only', async () => {
    await signOut(page)
    expect(await signInWithPassword(page, user)).toBe('challenge')
    expect(await otpInputFocused(page)).toBe(true)
    await screenshot(page, 'challenge-totp')
    expect(await axeViolations(page)).toEqual([])
    expect(await otpInputFocused(page)).toBe(true)
    // The enrollment claimed the current 30-s step; the next step's code is fresh and in the window.
    await page.keyboard.type(await generate({ secret, epoch: unixNow() + 30 }))
    await page.keyboard.press('Enter')
    await waitForHeading(page, ACCOUNT_HEADING)
    await screenshot(page, 'signed-in-with-totp')
  })

  it('signs in with a backup code and remembers the device, keyboard only', async () => {
    await signOut(page)
    expect(await signInWithPassword(page, user)).toBe('challenge')
    await tabTo(page, 'input[autocomplete="one-time-code"]')
    await tabTo(page, 'input[type="checkbox"]')
    await page.keyboard.press('Space')
    await tabTo(page, 'button', 'Use a backup code instead')
    await page.keyboard.press('Enter')
    await tabTo(page, 'input[name="backupCode"]')
    await page.keyboard.type(backupCodes[0])
    expect(await page.getByLabel('Remember this device for 30 days').isChecked()).toBe(true)
    await screenshot(page, 'challenge-backup-code')
    await page.keyboard.press('Enter')
    await waitForHeading(page, ACCOUNT_HEADING)
    await page
      .locator('[data-slot="trusted-devices"] [data-slot="device"][data-state="current"]')
      .waitFor()
  })

  it('signs in again without a code on the remembered device, then revokes it', async () => {
    await signOut(page)
    expect(await signInWithPassword(page, user)).toBe('account')
    const device = page.locator('[data-slot="device"][data-state="current"]')
    await device.waitFor()
    await screenshot(page, 'trusted-device')
    expect(await axeViolations(page)).toEqual([])

    await device.getByRole('button', { name: /^Revoke / }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click()
    await page.locator('[data-slot="trusted-devices"][data-state="empty"]').waitFor()
    await page.getByRole('button', { name: 'Refresh recent security events' }).click()
    await page.locator('tr[data-action="trusted_device_revoked"]').waitFor()
    await screenshot(page, 'device-revoked')

    await signOut(page)
    expect(await signInWithPassword(page, user)).toBe('challenge')
  })

  it('lets the admin find the user and reset their second factor', async () => {
    await adminPage.goto(`${e2e.server.url}/#/admin`)
    await waitForHeading(adminPage, 'Administration')
    await adminPage.getByLabel('Search users').fill(user.email)
    const reset = adminPage.getByRole('button', { name: `Reset 2FA of ${user.email}` })
    await reset.click()
    const dialog = adminPage.getByRole('dialog')
    await dialog
      .getByLabel('Reason (kept in the audit log)')
      .fill('Lost phone, verified by phone call')
    await dialog.getByRole('button', { name: 'Reset 2FA' }).click()
    await dialog.waitFor({ state: 'detached' })
    await reset.waitFor({ state: 'detached' })

    for (const panel of ['overview', 'audit log', 'notification outbox']) {
      await adminPage.getByRole('button', { name: `Refresh ${panel}` }).click()
    }
    await adminPage.locator('tr[data-action="admin_two_factor_reset"]').waitFor()
    await adminPage.locator('.demo-outbox li').first().waitFor()
    await screenshot(adminPage, 'admin-after-reset')
    expect(await axeViolations(adminPage)).toEqual([])
  })

  it("charts today's figures from the API on the admin page; the users table fits 360 px", async () => {
    await adminPage.goto(`${e2e.server.url}/#/admin`)
    await adminPage.reload()
    await waitForHeading(adminPage, 'Administration')
    const trends = adminPage.locator('[data-slot="two-factor-trends"][data-state="ready"]')
    await trends.waitFor()
    // Today's row of the chart's data table: the user turned 2FA on, then the admin reset it.
    const today = trends.locator('[data-slot="trends-table"] tbody tr').last()
    const cells = await today.locator('td').allTextContents()
    expect(cells.slice(0, 3)).toEqual(['0', '1', '1'])
    expect(Number(cells[3])).toBeGreaterThanOrEqual(0)
    expect(await trends.locator('[data-slot="trends-bar"][data-series="failed"]').count()).toBe(30)
    // Keyboard: the plot is one tab stop; the tooltip shows the day's exact figures.
    await trends.getByRole('group', { name: /Chart of the last 30 days/ }).focus()
    await adminPage.keyboard.press('End')
    await expect
      .poll(() => trends.locator('[data-slot="trends-tooltip"]').getAttribute('data-state'))
      .toBe('visible')
    await screenshot(adminPage, 'admin-trends')
    expect(await axeViolations(adminPage)).toEqual([])

    // The users table at 900 and 360 px: email, 2FA state and actions in view, no side scroll.
    for (const width of [900, 360]) {
      await adminPage.setViewportSize({ width, height: 900 })
      const row = adminPage.locator('[data-slot="user-row"]').first()
      for (const part of [
        '[data-column="email"]',
        '[data-slot="badge"]',
        '[data-column="actions"] button',
      ]) {
        const box = await row.locator(part).first().boundingBox()
        expect(box, `${part} at ${width}px`).not.toBeNull()
        expect(box!.x + box!.width, `${part} at ${width}px`).toBeLessThanOrEqual(width)
      }
      const scrolls = await adminPage.evaluate(() => document.documentElement.scrollWidth)
      expect(scrolls, `page width at ${width}px`).toBeLessThanOrEqual(width)
      await screenshot(adminPage, `admin-${width}px`)
    }
    await adminPage.setViewportSize({ width: 1280, height: 900 })
  })

  it("the user's next sign-in needs no code", async () => {
    await page.goto(`${e2e.server.url}/#/sign-in`)
    await page.reload()
    await waitForHeading(page, 'Welcome to the Twofold demo')
    expect(await signInWithPassword(page, user)).toBe('account')
    await page.locator('[data-slot="two-factor-settings"][data-state="disabled"]').waitFor()
    await page.locator('tr[data-action="admin_two_factor_reset"]').waitFor()
    await screenshot(page, 'after-reset-no-code')
    expect(consoleErrors).toEqual([])
  })
})
