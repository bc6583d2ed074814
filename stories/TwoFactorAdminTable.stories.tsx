import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { TwoFactorAdminTable } from 'twofold/react'
import { answering, failing, loading, offline, resetMockState } from '../test/msw/handlers'

const USERS = '/api/admin/users'

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
  parameters: { msw: { handlers: [loading('get', USERS), loading('get', '/api/admin/stats')] } },
}

export const Empty: Story = {
  parameters: {
    msw: { handlers: [answering('get', USERS, { users: [], total: 0, page: 1, pageSize: 10 })] },
  },
}

export const Error: Story = {
  parameters: { msw: { handlers: [offline('get', USERS)] } },
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
