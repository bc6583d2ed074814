/** Chromium through playwright-core, and the keyboard and screenshot helpers of the journey. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** Git-ignored: test/artifacts/ is in .gitignore. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/e2e', import.meta.url))

/** Launches Debian's Chromium; a missing browser fails the suite, it never skips it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}; the end-to-end journey needs it. Install it with: apt-get install -y chromium`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** Runs axe-core on the page as it is now; answers one line per violation (none expected). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the demo's CSP refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'))
  return page.evaluate(async () => {
    type Result = {
      violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>
    }
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<Result> } }).axe
    const { violations } = await axe.run(document)
    return violations.map(
      (v) => `${v.impact} ${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
    )
  })
}

let shot = 0

/** A full-page screenshot, numbered in the journey's order, into test/artifacts/e2e/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  shot += 1
  const path = join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Describes the focused element: tag, type, accessible-ish name. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el) return 'nothing'
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''
    return `${el.tagName.toLowerCase()}[type=${el.getAttribute('type') ?? ''}] "${name.slice(0, 60)}"`
  })
}

/**
 * Presses Tab until the focused element matches `selector` (and has exactly `text`, if given).
 * Fails when it is not reached within `maxPresses`: the element is not keyboard-reachable.
 */
export async function tabTo(page: Page, selector: string, text?: string, maxPresses = 15) {
  for (let presses = 0; presses <= maxPresses; presses++) {
    const reached = await page.evaluate(
      ([sel, label]) => {
        const el = document.activeElement
        return Boolean(el?.matches(sel) && (label === null || el.textContent?.trim() === label))
      },
      [selector, text ?? null] as const,
    )
    if (reached) return
    await page.keyboard.press('Tab')
  }
  throw new Error(
    `Tab never reached ${selector}${text ? ` "${text}"` : ''}; focus is on ${await focused(page)}`,
  )
}
