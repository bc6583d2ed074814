import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { TwoFactorTrends } from 'twofold/react'
import { makeDailyStats } from '../test/msw/fixtures'
import { answering, loading, offline } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'

const DAILY = P.admin.dailyStats

const meta = {
  title: 'Admin/TwoFactorTrends',
  component: TwoFactorTrends,
  args: { defaultDays: 30 },
} satisfies Meta<typeof TwoFactorTrends>

export default meta
type Story = StoryObj<typeof meta>

/** 30 days: adoption climbing, a spike of failed codes and a lockout six days ago. */
export const Default: Story = {}

export const SevenDays: Story = { args: { defaultDays: 7 } }

export const NinetyDays: Story = { args: { defaultDays: 90 } }

/** The exact figures of a day, by keyboard: focus the chart, then the arrow keys. */
export const DayDetails: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const plot = await canvas.findByRole('group', { name: /Chart of the last 30 days/ })
    plot.focus()
    await userEvent.keyboard('{ArrowLeft}')
    const day = makeDailyStats(30).at(-2)!
    const date = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day.date}T00:00:00Z`))
    await expect(canvas.getByRole('status')).toHaveTextContent(date)
  },
}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', DAILY)] } },
}

/** No one uses 2FA yet and nothing happened. */
export const Empty: Story = {
  parameters: {
    msw: {
      handlers: [
        answering('get', DAILY, {
          days: makeDailyStats(30).map((d) => ({
            ...d,
            twoFactorUsers: 0,
            enabled: 0,
            disabled: 0,
            failedAttempts: 0,
            lockouts: 0,
            backupCodesUsed: 0,
            emailCodesSent: 0,
          })),
        }),
      ],
    },
  },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', DAILY)] } },
}

/** The dark theme's variables (Storybook's toolbar switches the whole preview). */
export const Dark: Story = {
  globals: { theme: 'dark' },
}

/** A phone-sized frame. */
export const Narrow: Story = {
  decorators: [
    (Story) => (
      <div style={{ width: 360 }}>
        <Story />
      </div>
    ),
  ],
}
