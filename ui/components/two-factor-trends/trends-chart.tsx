import { useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { DailyStatsDay } from '../../client/types'
import { useTwoFactor } from '../../provider/provider'
import { countAxis, dayBands, labelledDays, yScale } from './scale'

export const CHART_HEIGHT = 250
const LEFT = 40
const RIGHT = 12
/** Top and bottom of the adoption panel (line) and of the failures panel (bars). */
const LINE = { top: 12, bottom: 114 }
const BARS = { top: 148, bottom: 218 }
const LABELS_Y = 238

export interface TrendsChartProps {
  days: DailyStatsDay[]
  width: number
  /** `YYYY-MM-DD` → a short axis label and a full date. */
  format: { short: (date: string) => string; full: (date: string) => string }
}

const KEYS: Record<string, (active: number, last: number) => number> = {
  ArrowLeft: (i) => i - 1,
  ArrowDown: (i) => i - 1,
  ArrowRight: (i) => i + 1,
  ArrowUp: (i) => i + 1,
  Home: () => 0,
  End: (_, last) => last,
}

/**
 * Adoption as a line over failed codes and lockouts as bars, one band per day, hand-drawn in SVG.
 * The plot is one tab stop: hovering, or focusing it and using the arrow keys, picks a day whose
 * exact figures show in a tooltip that is also a polite live region.
 */
export function TrendsChart({ days, width, format }: TrendsChartProps) {
  const { messages } = useTwoFactor()
  const m = messages.trends
  const [active, setActive] = useState<number | null>(null)
  const last = days.length - 1
  const x = dayBands(days.length, LEFT, width - RIGHT)
  const adoption = countAxis(Math.max(...days.map((d) => d.twoFactorUsers)))
  const failures = countAxis(
    Math.max(...days.map((d) => Math.max(d.failedAttempts, d.lockouts))),
    2,
  )
  const yLine = yScale(adoption.max, LINE.bottom, LINE.top)
  const yBar = yScale(failures.max, BARS.bottom, BARS.top)
  const barWidth = Math.max(1, x.band * 0.38)
  const barHeight = (value: number) => (value ? Math.max(2, BARS.bottom - yBar(value)) : 0)
  const line = days.map((d, i) => `${i ? 'L' : 'M'}${x.center(i)},${yLine(d.twoFactorUsers)}`)

  const onKeyDown = (event: KeyboardEvent) => {
    const move = KEYS[event.key]
    if (!move) return
    event.preventDefault()
    setActive(Math.min(last, Math.max(0, move(active ?? last, last))))
  }
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    if (box.width > 0) setActive(x.indexAt(((event.clientX - box.left) / box.width) * width))
  }

  const day = active === null ? null : days[active]
  const side =
    active === null
      ? 'center'
      : active < days.length / 4
        ? 'start'
        : active > (days.length * 3) / 4
          ? 'end'
          : 'center'
  return (
    <div
      data-slot="trends-plot"
      role="group"
      tabIndex={0}
      aria-label={m.chartLabel(days.length)}
      onKeyDown={onKeyDown}
      onFocus={() => setActive((current) => current ?? last)}
      onBlur={() => setActive(null)}
    >
      <svg
        data-slot="trends-svg"
        aria-hidden="true"
        width={width}
        height={CHART_HEIGHT}
        viewBox={`0 0 ${width} ${CHART_HEIGHT}`}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setActive(null)}
      >
        {adoption.ticks.map((tick) => (
          <g key={`a${tick}`} data-slot="trends-grid">
            <line x1={LEFT} x2={width - RIGHT} y1={yLine(tick)} y2={yLine(tick)} />
            <text x={LEFT - 6} y={yLine(tick)} dy="0.32em" textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {failures.ticks.map((tick) => (
          <g key={`f${tick}`} data-slot="trends-grid">
            <line x1={LEFT} x2={width - RIGHT} y1={yBar(tick)} y2={yBar(tick)} />
            <text x={LEFT - 6} y={yBar(tick)} dy="0.32em" textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {day && (
          <line
            data-slot="trends-guide"
            x1={x.center(active!)}
            x2={x.center(active!)}
            y1={LINE.top}
            y2={BARS.bottom}
          />
        )}
        {days.map((d, i) => (
          <g key={d.date}>
            <rect
              data-slot="trends-bar"
              data-series="failed"
              x={x.center(i) - barWidth}
              y={BARS.bottom - barHeight(d.failedAttempts)}
              width={barWidth}
              height={barHeight(d.failedAttempts)}
            />
            <rect
              data-slot="trends-bar"
              data-series="lockouts"
              x={x.center(i)}
              y={BARS.bottom - barHeight(d.lockouts)}
              width={barWidth}
              height={barHeight(d.lockouts)}
            />
          </g>
        ))}
        <path data-slot="trends-line" d={line.join('')} />
        {days.map((d, i) =>
          i === active || days.length <= 31 ? (
            <circle
              key={d.date}
              data-slot="trends-point"
              data-state={i === active ? 'active' : 'idle'}
              cx={x.center(i)}
              cy={yLine(d.twoFactorUsers)}
              r={i === active ? 4.5 : 2.5}
            />
          ) : null,
        )}
        {labelledDays(days.length, Math.max(2, Math.floor((width - LEFT - RIGHT) / 64))).map(
          (i) => (
            <text
              key={days[i]!.date}
              data-slot="trends-axis"
              x={x.center(i)}
              y={LABELS_Y}
              textAnchor="middle"
            >
              {format.short(days[i]!.date)}
            </text>
          ),
        )}
      </svg>
      <div
        data-slot="trends-tooltip"
        role="status"
        data-state={day ? 'visible' : 'hidden'}
        data-side={side}
        style={day ? { left: `${(x.center(active!) / width) * 100}%` } : undefined}
      >
        {day && (
          <>
            <p data-slot="trends-tooltip-date">{format.full(day.date)}</p>
            <dl>
              {(Object.keys(m.columns) as Array<keyof typeof m.columns>)
                .filter((key) => key !== 'date')
                .map((key) => (
                  <div key={key}>
                    <dt>{m.columns[key]}</dt>
                    <dd>{day[key]}</dd>
                  </div>
                ))}
            </dl>
          </>
        )}
      </div>
    </div>
  )
}
