import { defineConfig } from 'vitest/config'

/** Stand-alone config for the journey in Chromium: `npx vitest run --config test/e2e/vitest.config.ts`. */
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
