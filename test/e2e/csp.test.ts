/**
 * The Content-Security-Policy of the demo and of the API reference, in Chromium against the real
 * server (api/start.ts): the demo's own build runs under its strict policy through sign-up,
 * enrollment and a sign-in with a code without a single violation, and /api/docs renders from
 * its pinned CDN files (served here from node_modules, as the CDN has no way in) only when their
 * bytes match the integrity hashes.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SWAGGER_UI_ASSETS } from '../../api/lib/api-docs'
import {
  ACCOUNT_HEADING,
  signInWithPassword,
  signOut,
  signUp,
  unixNow,
  waitForHeading,
  type Person,
} from './demo-pages'
import { e2eHarness } from './harness'

const SWAGGER_UI_DIST = dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
)

const e2e = e2eHarness()

/** A page that records every CSP violation: the DOM event and Chromium's console report. */
async function watchedPage() {
  const context = await e2e.newContext()
  await context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`)
    })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  const console: string[] = []
  page.on('console', (message) => {
    const text = message.text()
    if (/Content Security Policy|Refused to|integrity/i.test(text)) console.push(text)
  })
  const violations = async () => [
    ...console,
    ...(await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    )),
  ]
  return { page, violations }
}

function directives(header: string | null) {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  )
}

describe('the demo under its Content-Security-Policy', () => {
  it('answers its page and assets with a strict CSP and the other security headers', async () => {
    for (const path of ['/', '/#/sign-in']) {
      const res = await fetch(e2e.server.url + path)
      expect(res.status).toBe(200)
      const csp = directives(res.headers.get('content-security-policy'))
      expect(csp.get('script-src')).toEqual(["'self'"])
      // Stylesheets of its own, and the <style> elements the kit inserts with this answer's nonce.
      const [self, nonce, ...others] = csp.get('style-src') ?? []
      expect([self, others]).toEqual(["'self'", []])
      expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{20,}'$/)
      const html = await res.text()
      expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce!.slice(7, -1)}">`)
      expect(html).not.toContain('TWOFOLD_CSP_NONCE')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(csp.get('frame-ancestors')).toEqual(["'none'"])
      expect(csp.get('object-src')).toEqual(["'none'"])
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('same-origin')
    }
  })

  it('signs up, enrolls TOTP and signs in with a code without any CSP violation', async () => {
    const { page, violations } = await watchedPage()
    const person: Person = {
      email: 'csp@example.com',
      name: 'Cee Espy',
      password: 'csp password 1',
    }
    await signUp(page, e2e.server.url, person)

    await page.getByRole('button', { name: 'Enable', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Get started' }).click()
    await dialog.locator('img').first().waitFor()
    await dialog.getByRole('button', { name: 'Show key' }).click()
    const secret = ((await dialog.locator('[data-slot="key"]').textContent()) ?? '').replace(
      /\s/g,
      '',
    )
    await dialog.getByRole('button', { name: 'Continue' }).click()
    await dialog.locator('[data-slot="setup-confirm"]').waitFor()
    await page.keyboard.type(await generate({ secret }))
    await dialog.getByRole('list', { name: 'Backup codes' }).waitFor()
    await dialog.getByLabel('I have saved these codes').check()
    await dialog.getByRole('button', { name: 'Finish' }).click()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })

    await signOut(page)
    expect(await signInWithPassword(page, person)).toBe('challenge')
    await page.keyboard.type(await generate({ secret, epoch: unixNow() + 30 }))
    await page.keyboard.press('Enter')
    await waitForHeading(page, ACCOUNT_HEADING)
    expect(await violations()).toEqual([])
  })

  it('a frame of the demo on another page is refused', async () => {
    const { page } = await watchedPage()
    let blocked = false
    page.on('console', (message) => {
      if (/frame-ancestors|X-Frame-Options/i.test(message.text())) blocked = true
    })
    await page.setContent(`<iframe src="${e2e.server.url}/"></iframe>`)
    await page.waitForTimeout(1_000)
    const framed = page.frames().find((frame) => frame.url().startsWith(e2e.server.url))
    const rendered = framed
      ? await framed
          .locator('#root')
          .count()
          .catch(() => 0)
      : 0
    expect(rendered).toBe(0)
    expect(blocked).toBe(true)
  })
})

/** Serves the CDN URLs from node_modules/swagger-ui-dist, with the CORS header jsDelivr sends. */
async function serveCdnFromPackage(page: Page, tamper = false) {
  for (const asset of Object.values(SWAGGER_UI_ASSETS)) {
    await page.route(asset.url, (route) => {
      let body = readFileSync(join(SWAGGER_UI_DIST, asset.file))
      if (tamper) body = Buffer.concat([body, Buffer.from('\n/* changed */\n')])
      return route.fulfill({
        status: 200,
        body,
        headers: {
          'content-type': asset.file.endsWith('.js') ? 'application/javascript' : 'text/css',
          'access-control-allow-origin': '*',
        },
      })
    })
  }
}

describe('/api/docs in Chromium', () => {
  it('renders the reference from the pinned files without any CSP violation', async () => {
    const { page, violations } = await watchedPage()
    await serveCdnFromPackage(page)
    await page.goto(`${e2e.server.url}/api/docs`)
    await page.locator('.swagger-ui .info .title').getByText('Twofold API').waitFor()
    await page.locator('.opblock').first().waitFor()
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20)
    expect(await violations()).toEqual([])
  })

  it('refuses files whose bytes do not match the integrity hashes', async () => {
    const { page, violations } = await watchedPage()
    await serveCdnFromPackage(page, true)
    await page.goto(`${e2e.server.url}/api/docs`)
    await page.waitForTimeout(1_000)
    expect(await page.locator('.swagger-ui .info').count()).toBe(0)
    expect((await violations()).some((line) => /integrity/i.test(line))).toBe(true)
  })
})
