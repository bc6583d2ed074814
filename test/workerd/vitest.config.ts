import { defineConfig } from 'vitest/config'

/** The workerd suite on its own: `npx vitest run --config test/workerd/vitest.config.ts`. */
export default defineConfig({
  test: {
    name: 'workerd',
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['test/workerd/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})
