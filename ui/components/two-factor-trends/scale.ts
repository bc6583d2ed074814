/** The arithmetic of the trends chart: nice integer axes and day positions, no DOM. */

/** A step of 1, 2 or 5 times a power of ten (never below 1: the figures are counts). */
export function niceStep(roughStep: number): number {
  if (!(roughStep > 1)) return 1
  const power = 10 ** Math.floor(Math.log10(roughStep))
  const fraction = roughStep / power
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
  return nice * power
}

export interface Axis {
  /** The top of the axis: the first tick at or above the largest value (at least one step). */
  max: number
  /** Tick values from 0 to `max`, evenly spaced. */
  ticks: number[]
}

/** An axis from 0 that holds `maxValue` with at most `count` intervals of a nice integer step. */
export function countAxis(maxValue: number, count = 4): Axis {
  const step = niceStep(Math.max(0, maxValue) / count)
  const max = Math.max(step, Math.ceil(maxValue / step) * step)
  const ticks: number[] = []
  for (let value = 0; value <= max; value += step) ticks.push(value)
  return { max, ticks }
}

/** Maps [0, max] onto [bottom, top] (SVG y grows downwards). */
export function yScale(max: number, bottom: number, top: number) {
  return (value: number) => bottom - (Math.min(value, max) / max) * (bottom - top)
}

export interface Bands {
  /** Width of one day's band. */
  band: number
  /** Left edge of day `i`'s band. */
  start: (i: number) => number
  /** Centre of day `i`'s band. */
  center: (i: number) => number
  /** The day whose band holds `x` (clamped to the first and last day). */
  indexAt: (x: number) => number
}

/** `n` equal bands (one per day) between `left` and `right`. */
export function dayBands(n: number, left: number, right: number): Bands {
  const band = (right - left) / Math.max(1, n)
  return {
    band,
    start: (i) => left + i * band,
    center: (i) => left + (i + 0.5) * band,
    indexAt: (x) => Math.min(n - 1, Math.max(0, Math.floor((x - left) / band))),
  }
}

/** Which days get an x-axis label: about `count` of them, evenly spaced, the last day always. */
export function labelledDays(n: number, count = 6): number[] {
  if (n <= 0) return []
  const every = Math.max(1, Math.ceil(n / count))
  const days: number[] = []
  for (let i = (n - 1) % every; i < n; i += every) days.push(i)
  return days
}
