/**
 * Chromium and a fresh server (api/start.ts on a temporary database) for one e2e test file.
 * A failed setup (no Chromium, no server) fails every test with its message; none is skipped.
 */
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { launchChromium } from './browser'
import { startTestServer, type RunningServer } from './server'

export interface E2eHarness {
  readonly browser: Browser
  readonly server: RunningServer
  /** Whether Chromium and the server started (hooks that build on them check it first). */
  readonly ready: boolean
  /** A browser context that is closed after the file's tests. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>
}

/** Registers the file's hooks: call once, at the top level of a test file. */
export function e2eHarness(): E2eHarness {
  let browser: Browser | undefined
  let server: RunningServer | undefined
  let setupError: unknown
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    try {
      browser = await launchChromium()
      server = await startTestServer()
    } catch (error) {
      setupError = error
    }
  })
  beforeEach(() => {
    if (setupError) throw setupError
  })
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close()
    await server?.stop()
  })

  return {
    get browser() {
      if (!browser) throw new Error('Chromium did not start')
      return browser
    },
    get server() {
      if (!server) throw new Error('The test server did not start')
      return server
    },
    get ready() {
      return browser !== undefined && server !== undefined && !setupError
    },
    async newContext(viewport = { width: 1280, height: 900 }) {
      const context = await this.browser.newContext({ viewport })
      contexts.push(context)
      return context
    },
  }
}
