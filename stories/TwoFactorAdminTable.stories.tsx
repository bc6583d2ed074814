import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { TwoFactorAdminTable } from 'twofold/react'
import { adaUser, makeAdminUsers } from '../test/msw/fixtures'
import { answering, failing, loading, offline, resetMockState } from '../test/msw/handlers'
import { API_PATHS as P } from '../shared/api-paths'

const USERS = P.admin.users

const meta = {
  title: 'Admin/TwoFactorAdminTable',
  component: TwoFactorAdminTable,
  args: { pageSize: 10 },
  loaders: [() => resetMockState()],
} satisfies Meta<typeof TwoFactorAdminTable>

export default meta
type Story = StoryObj<typeof meta>

/** First page of 32 users, adoption bar on top. */
export const Default: Story = {}

export const Loading: Story = {
  parameters: { msw: { handlers: [loading('get', USERS), loading('get', P.admin.stats)] } },
}

export const Empty: Story = {
  parameters: {
    msw: { handlers: [answering('get', USERS, { users: [], total: 0, page: 1, pageSize: 10 })] },
  },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', USERS)] } },
}

/** Ada is the only admin: her row offers no "Make user" (the API would answer 409 LAST_ADMIN). */
export const LastAdmin: Story = {
  loaders: [
    () =>
      resetMockState({
        users: makeAdminUsers().map((u) => (u.id === adaUser.id ? u : { ...u, role: 'user' })),
      }),
  ],
  parameters: {
    msw: {
      handlers: [
        answering('get', USERS, {
          users: makeAdminUsers().filter((u) => u.id === adaUser.id),
          total: 1,
          page: 1,
          pageSize: 10,
        }),
      ],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('Only admin')).toBeVisible()
  },
}

/** Non-admins get 403. */
export const Forbidden: Story = {
  parameters: { msw: { handlers: [failing('get', USERS, 403, 'FORBIDDEN')] } },
}

/** Searching on the server. */
export const Search: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByLabelText('Search users'), 'knuth')
    await expect(await canvas.findByText('donald.knuth.3@example.com')).toBeVisible()
  },
}

/** Resetting one's own 2FA is refused. */
export const ResetRefused: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(
      await canvas.findByRole('button', { name: 'Reset 2FA of ada@example.com' }),
    )
    const dialog = within(await within(document.body).findByRole('dialog'))
    await userEvent.click(dialog.getByRole('button', { name: 'Reset 2FA' }))
    await expect(await dialog.findByText(/cannot reset your own/)).toBeVisible()
  },
}

const framed = (width: number): Story['decorators'] => [
  (Story) => (
    <div style={{ width, maxWidth: '100%' }}>
      <Story />
    </div>
  ),
]

/** A phone: each user is a block with the email, the 2FA badge, the facts and the actions. */
export const Width360: Story = { decorators: framed(360) }

/** A tablet or a narrow window: the same blocks, with room for the facts on one line. */
export const Width900: Story = { decorators: framed(900) }

/** A desktop: the full table, compact dates, every column in view without scrolling. */
export const Width1280: Story = { decorators: framed(1280) }
