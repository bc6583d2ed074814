// @vitest-environment node
/**
 * jsdom cannot compute colors, so axe's color-contrast rule is off in the component tests.
 * This test checks the theme's own pairs instead, with the WCAG 2 formula, in both themes.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const css = readFileSync(new URL('../../ui/styles/theme.css', import.meta.url), 'utf8')

function variables(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`)
  const block = css.slice(start, css.indexOf('}', start))
  return Object.fromEntries(
    [...block.matchAll(/--twofold-([\w-]+):\s*(#[0-9a-f]{6})/gi)].map(([, name, hex]) => [
      name,
      hex,
    ]),
  )
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

/** [foreground, background, minimum ratio]: text 4.5:1, control borders 3:1. */
const PAIRS: Array<[string, string, number]> = [
  ['fg', 'bg', 4.5],
  ['fg', 'surface', 4.5],
  ['muted', 'bg', 4.5],
  ['muted', 'surface', 4.5],
  ['primary', 'bg', 4.5],
  ['danger', 'bg', 4.5],
  ['primary-fg', 'primary', 4.5],
  ['danger-fg', 'danger', 4.5],
  ['info-fg', 'info-bg', 4.5],
  ['success-fg', 'success-bg', 4.5],
  ['warning-fg', 'warning-bg', 4.5],
  ['error-fg', 'error-bg', 4.5],
  ['border', 'bg', 3],
  ['focus', 'bg', 3],
  ['chart-adoption', 'bg', 3],
  ['chart-failed', 'bg', 3],
  ['chart-lockouts', 'bg', 3],
]

const dark = { ...variables(':root'), ...variables(".dark,\n[data-theme='dark']") }
const themes = { light: variables(':root'), dark }

describe('theme contrast', () => {
  for (const [theme, colors] of Object.entries(themes)) {
    it.each(PAIRS)(`${theme}: %s on %s is at least %s:1`, (fg, bg, minimum) => {
      expect(colors[fg], fg).toMatch(/^#/)
      expect(colors[bg], bg).toMatch(/^#/)
      expect(contrast(colors[fg], colors[bg])).toBeGreaterThanOrEqual(minimum)
    })
  }

  it('uses the same dark colors for prefers-color-scheme and the .dark hook', () => {
    const media = variables(":root:not(.light):not([data-theme='light'])")
    expect(Object.keys(media).length).toBeGreaterThan(10)
    expect(media).toEqual(variables(".dark,\n[data-theme='dark']"))
  })
})
