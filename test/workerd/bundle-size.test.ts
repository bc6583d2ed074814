import { expect, it } from 'vitest'
import { BUNDLE_GZIP_LIMIT_BYTES, workerBundleGzipBytes } from './bundle-size'

it('the Worker bundle stays under its gzip budget (BUNDLE_GZIP_LIMIT_BYTES)', async () => {
  const bytes = await workerBundleGzipBytes()
  console.log(`[workerd] Worker bundle: ${(bytes / 1024).toFixed(1)} KiB gzip`)
  expect(bytes).toBeGreaterThan(0)
  expect(bytes).toBeLessThan(BUNDLE_GZIP_LIMIT_BYTES)
})
