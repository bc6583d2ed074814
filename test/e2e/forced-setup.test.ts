/**
 * Policy "everyone" with 0 days of grace, in Chromium against the real server: a new user is
 * fenced from the start and must be able to enable 2FA from the account page, then reach
 * everything. Also: a signed-out load logs nothing, dialogs give focus back to their opener,
 * the challenge names the account and lets the user go back, and a used backup code keeps its
 * row in the grid.
 */
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations, screenshot } from './browser'
import {
  ACCOUNT_HEADING,
  signInWithPassword,
  signOut,
  signUp,
  waitForHeading,
  WELCOME_HEADING,
  type Person,
} from './demo-pages'
import { e2eHarness } from './harness'

const admin: Person = { email: 'boss@example.com', name: 'Bea Boss', password: 'boss password 1' }
const newcomer: Person = { email: 'new@example.com', name: 'Nia New', password: 'new password 1' }
const returning: Person = { email: 'old@example.com', name: 'Olu Old', password: 'old password 1' }

const e2e = e2eHarness()
/** Console errors and uncaught exceptions, per page. */
const problems = new Map<Page, string[]>()

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await e2e.newContext(viewport)
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  const seen: string[] = []
  problems.set(page, seen)
  page.on('pageerror', (error) => seen.push(`pageerror: ${error}`))
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(`console: ${message.text()}`)
  })
  return page
}

/** Describes what has focus: the accessible name of a button, or the tag. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return 'body'
    return `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim()}`
  })

/** Runs the setup dialog from its intro to done; answers the secret and the backup codes. */
async function enrollInDialog(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Set up two-factor authentication' })
  await dialog.getByRole('button', { name: 'Get started' }).click()
  await dialog.getByRole('button', { name: 'Show key' }).click()
  const key = await dialog.locator('[data-slot="key"]').textContent()
  const secret = (key ?? '').replace(/\s/g, '')
  await dialog.getByRole('button', { name: 'Continue' }).click()
  await dialog.locator('[data-slot="setup-confirm"]').waitFor()
  await page.keyboard.type(await generate({ secret }))
  const list = dialog.getByRole('list', { name: 'Backup codes' })
  await list.waitFor()
  const backupCodes = await list.locator('code').allTextContents()
  await dialog.getByLabel('I have saved these codes').check()
  await dialog.getByRole('button', { name: 'Finish' }).click()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await dialog.waitFor({ state: 'detached' })
  return { secret, backupCodes }
}

describe('forced setup and the journey’s details in Chromium', () => {
  let userPage: Page
  let backupCodes: string[] = []

  it('a signed-out visit logs no console error (no 401 from a session probe)', async () => {
    const page = await newPage()
    await page.goto(`${e2e.server.url}/`)
    await waitForHeading(page, WELCOME_HEADING)
    await page.locator('[data-slot="sign-in-form"]').waitFor()
    await page.reload()
    await waitForHeading(page, WELCOME_HEADING)
    await page.goto(`${e2e.server.url}/#/sign-up`)
    await page.locator('[data-slot="sign-up-form"]').waitFor()
    expect(problems.get(page)).toEqual([])
  })

  it('the admin requires 2FA of everyone with 0 days of grace', async () => {
    const page = await newPage()
    await signUp(page, e2e.server.url, admin)
    // Signed up: reloading probes the session (there is one) and stays signed in.
    await page.reload()
    await waitForHeading(page, ACCOUNT_HEADING)
    await page.goto(`${e2e.server.url}/#/admin`)
    await waitForHeading(page, 'Administration')
    expect(problems.get(page)).toEqual([])
    const form = page.locator('[data-slot="two-factor-policy-form"]')
    await form.getByLabel('Everyone').check()
    await form.getByLabel('Grace period (days)').fill('0')
    await form.getByRole('button', { name: 'Save policy' }).click()
    await form.getByText('Policy saved.').waitFor()
  })

  it('a new user is offered setup at once, enables 2FA from the account page and reaches everything', async () => {
    userPage = await newPage()
    const page = userPage
    await page.goto(`${e2e.server.url}/#/sign-up`)
    const form = page.locator('[data-slot="sign-up-form"]')
    await form.getByLabel('Email').fill(newcomer.email)
    await form.getByLabel('Name').fill(newcomer.name)
    await form.getByLabel('Password').fill(newcomer.password)
    await form.getByRole('button', { name: 'Create account' }).click()
    // The events list answers 403 TWO_FACTOR_SETUP_REQUIRED: the kit opens setup by itself (the
    // modal hides the page from the accessibility tree, so the dialog is what to wait for).
    const dialog = page.getByRole('dialog', { name: 'Set up two-factor authentication' })
    await dialog.waitFor()
    expect(await page.locator('h1').textContent()).toBe(ACCOUNT_HEADING)
    await screenshot(page, 'forced-setup-opened')
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    // The card says why and offers Enable, not a "Try again" of a refused call.
    const card = page.locator('[data-slot="two-factor-settings"]')
    await card.getByText('Set it up now.').waitFor()
    expect(await card.getByRole('button', { name: 'Try again' }).count()).toBe(0)
    const enable = card.getByRole('button', { name: 'Enable', exact: true })

    // Closing by Escape or Cancel gives focus back to Enable.
    await enable.focus()
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    // Radix gives focus back in a task after the dialog unmounts: wait for it, do not race it.
    await expect.poll(() => focusedName(page)).toBe('button Enable')
    await enable.click()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => focusedName(page)).toBe('button Enable')

    await enable.click()
    ;({ backupCodes } = await enrollInDialog(page))
    await page.locator('[data-slot="two-factor-settings"][data-state="enabled"]').waitFor()
    await page.locator('[data-slot="backup-codes-panel"][data-state="ok"]').waitFor()
    await page.locator('tr[data-action="two_factor_enabled"]').waitFor()
    const reachable = await page.evaluate(async () => {
      const paths = [
        '/api/two-factor/backup-codes',
        '/api/two-factor/trusted-devices',
        '/api/two-factor/events',
      ]
      return Promise.all(paths.map(async (path) => `${path} ${(await fetch(path)).status}`))
    })
    expect(reachable).toEqual([
      '/api/two-factor/backup-codes 200',
      '/api/two-factor/trusted-devices 200',
      '/api/two-factor/events 200',
    ])
    await screenshot(page, 'forced-setup-done')
  })

  it('the challenge names the account and goes back to the password step', async () => {
    const page = userPage
    await signOut(page)
    expect(await signInWithPassword(page, newcomer)).toBe('challenge')
    const challenge = page.locator('[data-slot="two-factor-challenge"]')
    await challenge.getByText(`Signing in as ${newcomer.email}`).waitFor()
    await screenshot(page, 'challenge-names-account')
    expect(await axeViolations(page)).toEqual([])
    await challenge.getByRole('button', { name: 'Use another account' }).click()
    const email = page.locator('[data-slot="sign-in-form"]').getByLabel('Email')
    await email.waitFor()
    await expect.poll(() => focusedName(page)).toMatch(/^input/)
    expect(await email.inputValue()).toBe(newcomer.email)
  })

  it('a used backup code keeps one line in the grid, at desktop and phone widths', async () => {
    const page = userPage
    expect(await signInWithPassword(page, newcomer)).toBe('challenge')
    await page.getByRole('button', { name: 'Use a backup code instead' }).click()
    await page.locator('input[name="backupCode"]').fill(backupCodes[0])
    await page.keyboard.press('Enter')
    await waitForHeading(page, ACCOUNT_HEADING)
    const panel = page.locator('[data-slot="backup-codes-panel"]')
    await panel.locator('[data-slot="code-slot"][data-state="used"]').waitFor()

    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 })
      await panel.scrollIntoViewIfNeeded()
      const rows = await panel.locator('[data-slot="code-slot"]').evaluateAll((slots) =>
        slots.map((slot) => {
          const name = slot.querySelector('[data-slot="code-name"]')!.getBoundingClientRect()
          const status = slot.querySelector('[data-slot="code-status"]')!.getBoundingClientRect()
          return {
            state: slot.getAttribute('data-state'),
            height: slot.getBoundingClientRect().height,
            statusLines: Math.round(status.height / parseFloat(getComputedStyle(slot).lineHeight)),
            overlap: name.right > status.left && name.top === status.top,
          }
        }),
      )
      await panel.screenshot({ path: await screenshot(page, `backup-codes-${width}`) })
      const used = rows.filter((row) => row.state === 'used')
      const unused = rows.filter((row) => row.state === 'unused')
      expect(used).toHaveLength(1)
      expect(used.map((row) => [row.statusLines, row.overlap])).toEqual([[1, false]])
      // The used slot is as tall as the others: nothing wrapped.
      expect(Math.abs(used[0].height - unused[0].height)).toBeLessThan(2)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('an account made before, signing in past the deadline, gets the setup dialog at once', async () => {
    const made = await fetch(`${e2e.server.url}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(returning),
    })
    expect(made.status).toBe(201)
    const page = await newPage()
    await page.goto(`${e2e.server.url}/#/sign-in`)
    await waitForHeading(page, WELCOME_HEADING)
    const form = page.locator('[data-slot="sign-in-form"]')
    await form.getByLabel('Email').fill(returning.email)
    await form.getByLabel('Password').fill(returning.password)
    await form.getByLabel('Password').press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Set up two-factor authentication' })
    await dialog.waitFor()
    // Keyboard users start where they must act, whatever the page did on navigating.
    await expect.poll(() => focusedName(page)).toBe('button Get started')
    await enrollInDialog(page)
    await page.locator('[data-slot="two-factor-settings"][data-state="enabled"]').waitFor()
    await page.getByRole('button', { name: 'Refresh recent security events' }).click()
    await page.locator('tr[data-action="two_factor_enabled"]').waitFor()
  })
})
