import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { kitAlias } from './demo/kit-alias.ts'

const serverAlias = [
  {
    find: /^twofold\/server$/,
    replacement: fileURLToPath(new URL('./api/server.ts', import.meta.url)),
  },
]

export default defineConfig({
  test: {
    projects: [
      {
        // examples/ import the package by its published name.
        resolve: { alias: serverAlias },
        test: {
          name: 'api',
          environment: 'node',
          include: ['api/**/*.test.ts', 'test/api/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        resolve: { alias: kitAlias },
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['test/ui/**/*.test.{ts,tsx}'],
          setupFiles: ['test/ui/setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias: serverAlias },
        test: {
          name: 'workerd',
          environment: 'node',
          include: ['test/workerd/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The packed tarball: publint, attw, and a fresh Vite app that installs it.
          name: 'package',
          environment: 'node',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/pack.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
