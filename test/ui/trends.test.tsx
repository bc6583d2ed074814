import { composeStories } from '@storybook/react-vite'
import { screen, waitFor, within } from '@testing-library/react'
import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import * as stories from '../../stories/TwoFactorTrends.stories'
import { TwoFactorTrends } from '../../ui'
import { makeDailyStats } from '../msw/fixtures'
import { route } from '../msw/handlers'
import { expectNoAxeViolations, renderKit, renderStory } from './helpers'
import { server } from './server'
import { API_PATHS as P } from '../../shared/api-paths'

const { Default, Empty, Error: Offline, Loading } = composeStories(stories)

const full = (date: string) =>
  new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`))

function recordDays() {
  const asked: (string | null)[] = []
  server.use(
    http.get(route(P.admin.dailyStats), ({ request }) => {
      asked.push(new URL(request.url).searchParams.get('days'))
      return undefined
    }),
  )
  return asked
}

describe('TwoFactorTrends', () => {
  it('draws a day per band, a line point per day and the summary of the period', async () => {
    await renderStory(Default)
    const series = makeDailyStats(30)
    const [first, last] = [series[0]!.twoFactorUsers, series[29]!.twoFactorUsers]
    expect(first).toBeLessThan(last)
    const summary = `Users with two-factor authentication: ${first} → ${last} over 30 days.`
    expect(await screen.findByText(summary, { exact: false })).toBeVisible()
    const failed = series.reduce((sum, d) => sum + d.failedAttempts, 0)
    expect(screen.getByText(new RegExp(`${failed} failed codes, 1 lockout\\.`))).toBeVisible()
    const svg = document.querySelector('[data-slot="trends-svg"]')!
    expect(svg).toHaveAttribute('aria-hidden', 'true')
    expect(svg.querySelectorAll('[data-series="failed"]')).toHaveLength(30)
    expect(svg.querySelectorAll('[data-slot="trends-point"]')).toHaveLength(30)
    // The spike six days ago is the tallest bar, a full panel high; quiet days have none.
    const heights = [...svg.querySelectorAll('[data-series="failed"]')].map((bar) =>
      Number(bar.getAttribute('height')),
    )
    expect(Math.max(...heights)).toBe(heights[23])
    expect(heights[23]).toBeCloseTo(70 * (14 / 20))
    expect(heights.filter((h, i) => series[i]!.failedAttempts === 0 && h !== 0)).toEqual([])
    await expectNoAxeViolations()
  })

  it('has the same figures in a table for screen readers', async () => {
    await renderStory(Default)
    const table = await screen.findByRole('table', {
      name: /Two-factor figures per day, the last 30 days/,
    })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(30)
    const spike = makeDailyStats(30)[23]!
    expect(
      within(rows[23]!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(
      [spike.twoFactorUsers, 0, 0, 14, 1, spike.backupCodesUsed, spike.emailCodesSent].map(String),
    )
    expect(within(rows[23]!).getByRole('rowheader')).toHaveTextContent(full(spike.date))
  })

  it('reads each day with the keyboard: arrows, Home and End; the tooltip has exact numbers', async () => {
    const { user } = await renderStory(Default)
    const series = makeDailyStats(30)
    const plot = await screen.findByRole('group', { name: /Chart of the last 30 days/ })
    const tooltip = within(plot).getByRole('status')
    expect(tooltip).toHaveAttribute('data-state', 'hidden')
    await user.tab() // the period switch
    await user.tab()
    expect(plot).toHaveFocus()
    expect(tooltip).toHaveTextContent(full(series[29]!.date))
    await user.keyboard('{ArrowLeft}'.repeat(6))
    expect(tooltip).toHaveTextContent(full(series[23]!.date))
    const figure = (name: string) => within(tooltip).getByText(name).nextElementSibling?.textContent
    expect([figure('Failed codes'), figure('Lockouts'), figure('Users with 2FA')]).toEqual([
      '14',
      '1',
      String(series[23]!.twoFactorUsers),
    ])
    expect(document.querySelector('[data-slot="trends-point"][data-state="active"]')).not.toBeNull()
    await user.keyboard('{Home}')
    expect(tooltip).toHaveTextContent(full(series[0]!.date))
    await user.keyboard('{ArrowLeft}')
    expect(tooltip).toHaveTextContent(full(series[0]!.date))
    await user.keyboard('{End}')
    expect(tooltip).toHaveTextContent(full(series[29]!.date))
    await user.tab()
    expect(tooltip).toHaveAttribute('data-state', 'hidden')
  })

  it('switches between 7, 30 and 90 days, asking the server for each', async () => {
    const asked = recordDays()
    const { user } = renderKit(<TwoFactorTrends />)
    await screen.findByText(/over 30 days/)
    const options = screen.getAllByRole('radio')
    expect(options.map((o) => o.closest('label')!.textContent)).toEqual([
      '7 days',
      '30 days',
      '90 days',
    ])
    expect(screen.getByRole('radio', { name: '30 days' })).toBeChecked()
    await user.click(screen.getByRole('radio', { name: '90 days' }))
    await screen.findByText(/over 90 days/)
    expect(
      document.querySelectorAll('[data-slot="trends-bar"][data-series="failed"]'),
    ).toHaveLength(90)
    await user.click(screen.getByRole('radio', { name: '7 days' }))
    await screen.findByText(/over 7 days/)
    expect(asked).toEqual(['30', '90', '7'])
  })

  it('is controlled when given days', async () => {
    const picked: number[] = []
    const { user } = renderKit(<TwoFactorTrends days={7} onDaysChange={(d) => picked.push(d)} />)
    await screen.findByText(/over 7 days/)
    await user.click(screen.getByRole('radio', { name: '90 days' }))
    expect(picked).toEqual([90])
    expect(screen.getByRole('radio', { name: '7 days' })).toBeChecked()
  })

  it('has loading, empty and error states', async () => {
    let view = await renderStory(Loading)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    expect(document.querySelector('[data-slot="two-factor-trends"]')).toHaveAttribute(
      'aria-busy',
      'true',
    )
    view.unmount()
    view = await renderStory(Empty)
    expect(await screen.findByText('No two-factor activity in this period yet.')).toBeVisible()
    expect(document.querySelector('[data-slot="trends-svg"]')).toBeNull()
    expect(screen.getByRole('radio', { name: '90 days' })).toBeEnabled()
    view.unmount()
    await renderStory(Offline)
    expect(await screen.findByText(/Could not reach the server/)).toBeVisible()
    await waitFor(() =>
      expect(document.querySelector('[data-slot="two-factor-trends"]')).toHaveAttribute(
        'data-state',
        'error',
      ),
    )
    expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible()
  })
})
