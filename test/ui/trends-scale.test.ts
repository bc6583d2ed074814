// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  countAxis,
  dayBands,
  labelledDays,
  niceStep,
  yScale,
} from '../../ui/components/two-factor-trends/scale'

describe('trends chart scale', () => {
  it('steps by 1, 2 or 5 times a power of ten, never below 1', () => {
    expect([0, 0.3, 1, 1.2, 2, 2.5, 4, 6, 12, 30, 70, 240].map(niceStep)).toEqual([
      1, 1, 1, 2, 2, 5, 5, 10, 20, 50, 100, 500,
    ])
  })

  it('gives an integer axis from 0 that holds the largest value', () => {
    expect(countAxis(0)).toEqual({ max: 1, ticks: [0, 1] })
    expect(countAxis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] })
    expect(countAxis(11)).toEqual({ max: 15, ticks: [0, 5, 10, 15] })
    expect(countAxis(14, 2)).toEqual({ max: 20, ticks: [0, 10, 20] })
    expect(countAxis(100_000)).toEqual({ max: 100_000, ticks: [0, 50_000, 100_000] })
  })

  it('maps 0 to the bottom and the axis top to the top, clamping above', () => {
    const y = yScale(20, 220, 150)
    expect([y(0), y(10), y(20), y(40)]).toEqual([220, 185, 150, 150])
  })

  it('gives each day an equal band and finds the day under a point', () => {
    const x = dayBands(30, 40, 640)
    expect(x.band).toBe(20)
    expect([x.start(0), x.center(0), x.center(29)]).toEqual([40, 50, 630])
    expect([0, 40, 59.9, 60, 639, 700].map(x.indexAt)).toEqual([0, 0, 0, 1, 29, 29])
  })

  it('labels about six days, evenly, always the last one', () => {
    expect(labelledDays(7)).toEqual([0, 2, 4, 6])
    expect(labelledDays(30)).toEqual([4, 9, 14, 19, 24, 29])
    expect(labelledDays(90)).toEqual([14, 29, 44, 59, 74, 89])
    expect(labelledDays(1)).toEqual([0])
    expect(labelledDays(0)).toEqual([])
  })
})
