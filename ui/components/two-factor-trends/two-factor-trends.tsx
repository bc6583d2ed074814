import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { DailyStatsDay } from '../../client/types'
import { useResource } from '../../primitives/hooks'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'
import { TrendsChart } from './trends-chart'

export interface TwoFactorTrendsProps {
  /** The period shown, in days (controlled). */
  days?: number
  /**
   * The period shown first (uncontrolled).
   * @default 30
   */
  defaultDays?: number
  /** Called when the user picks another period, before it loads. */
  onDaysChange?: (days: number) => void
  /**
   * The periods offered, in days (each 1 to 365).
   * @default [7, 30, 90]
   */
  ranges?: number[]
  className?: string
}

const DEFAULT_RANGES = [7, 30, 90]

/** Width of the chart before the element is measured (and where ResizeObserver is missing). */
function useContentWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null)
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    const element = ref.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.floor(entry?.contentRect.width ?? 0)
      if (measured > 0) setWidth(measured)
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return [ref, width] as const
}

const utc = (date: string) => new Date(`${date}T00:00:00Z`)

/**
 * Second-factor adoption and failures over time (`GET /api/admin/stats/daily`): a period switch,
 * a one-line summary, an SVG chart with a tooltip per day, and the same figures as a table for
 * screen readers.
 */
export function TwoFactorTrends({
  days: controlled,
  defaultDays = 30,
  onDaysChange,
  ranges = DEFAULT_RANGES,
  className,
}: TwoFactorTrendsProps) {
  const { client, messages, locale } = useTwoFactor()
  const m = messages.trends
  const name = useId()
  const [uncontrolled, setUncontrolled] = useState(defaultDays)
  const days = controlled ?? uncontrolled
  const stats = useResource(() => client.admin.getDailyStats({ days }), [client, days])
  const [ref, width] = useContentWidth(640)
  const format = useMemo(() => {
    const short = new Intl.DateTimeFormat(locale, {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    })
    const full = new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    })
    return { short: (d: string) => short.format(utc(d)), full: (d: string) => full.format(utc(d)) }
  }, [locale])

  const choose = (next: number) => {
    onDaysChange?.(next)
    if (controlled === undefined) setUncontrolled(next)
  }

  const series: DailyStatsDay[] = stats.data?.days ?? []
  const empty = series.every(
    (d) =>
      d.twoFactorUsers +
        d.enabled +
        d.disabled +
        d.failedAttempts +
        d.lockouts +
        d.backupCodesUsed +
        d.emailCodesSent ===
      0,
  )
  const state = stats.status === 'ready' && empty ? 'empty' : stats.status
  const failed = series.reduce((sum, d) => sum + d.failedAttempts, 0)
  const lockouts = series.reduce((sum, d) => sum + d.lockouts, 0)

  return (
    <Section
      ref={ref}
      data-slot="two-factor-trends"
      data-state={state}
      className={className}
      aria-busy={stats.status === 'loading'}
    >
      <div data-slot="trends-header">
        <SectionTitle>{m.title}</SectionTitle>
        <fieldset data-slot="trends-range">
          <legend data-slot="trends-range-legend">{m.range}</legend>
          {ranges.map((option) => (
            <label key={option} data-slot="trends-range-option">
              <input
                type="radio"
                name={name}
                value={option}
                checked={days === option}
                onChange={() => choose(option)}
              />
              <span>{m.rangeOption(option)}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <ResourceStatus resource={stats} />
      {stats.data && state === 'empty' && <p data-slot="trends-empty">{m.empty}</p>}
      {stats.data && state !== 'empty' && series.length > 0 && (
        <>
          <p data-slot="trends-summary">
            {m.summary(series[0]!.twoFactorUsers, series.at(-1)!.twoFactorUsers, series.length)}{' '}
            {m.totals(failed, lockouts)}
          </p>
          <ul data-slot="trends-legend" aria-hidden="true">
            <li data-series="adoption">{m.columns.twoFactorUsers}</li>
            <li data-series="failed">{m.columns.failedAttempts}</li>
            <li data-series="lockouts">{m.columns.lockouts}</li>
          </ul>
          <TrendsChart days={series} width={width} format={format} />
          {/* A table is never narrower than its content: the wrapper is what hides it. */}
          <div data-slot="trends-table-wrapper">
            <table data-slot="trends-table">
              <caption>{m.caption(series.length)}</caption>
              <thead>
                <tr>
                  {Object.values(m.columns).map((label) => (
                    <th key={label} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {series.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{format.full(d.date)}</th>
                    <td>{d.twoFactorUsers}</td>
                    <td>{d.enabled}</td>
                    <td>{d.disabled}</td>
                    <td>{d.failedAttempts}</td>
                    <td>{d.lockouts}</td>
                    <td>{d.backupCodesUsed}</td>
                    <td>{d.emailCodesSent}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  )
}
