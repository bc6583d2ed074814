// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { bundleUi, measureUiWeight } from '../bench/ui-weight'

const BUDGET = 40 * 1024

describe('kit weight', () => {
  it('stays under 40 KiB gzip without react, Radix, input-otp, qrcode and hono', async () => {
    const weight = await measureUiWeight()
    expect(weight.js).toBeGreaterThan(1000)
    expect(weight.total).toBeLessThan(BUDGET)
  })

  it('keeps zod and every API file out of the bundle (type-only imports)', async () => {
    const { inputs } = await bundleUi()
    expect(inputs.filter((file) => /zod|^api\/|hono|drizzle|libsql/.test(file))).toEqual([])
    expect(inputs).toContain('shared/error-codes.ts')
  })
})
