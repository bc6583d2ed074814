import type { AdminUser } from '../../client/types'
import { Spinner } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { UserRow, type UserRowProps } from './user-row'

export interface UsersTableProps extends Omit<UserRowProps, 'user'> {
  users: AdminUser[]
  loading: boolean
}

export function UsersTable({ users, loading, ...actions }: UsersTableProps) {
  const { messages } = useTwoFactor()
  const c = messages.admin.columns
  return (
    <div data-slot="table-wrapper" data-state={loading ? 'loading' : 'ready'} aria-busy={loading}>
      {loading && <Spinner label={messages.common.loading} />}
      <table data-slot="table">
        <caption data-slot="caption">{messages.admin.title}</caption>
        <thead>
          <tr>
            <th scope="col">{c.email}</th>
            <th scope="col">{c.name}</th>
            <th scope="col">{c.role}</th>
            <th scope="col">{c.twoFactor}</th>
            <th scope="col">{c.backupCodes}</th>
            <th scope="col">{c.lastSignIn}</th>
            <th scope="col">{c.lockedUntil}</th>
            <th scope="col">{c.actions}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <UserRow key={user.id} user={user} {...actions} />
          ))}
          {!loading && users.length === 0 && (
            <tr data-slot="empty-row">
              <td colSpan={8}>{messages.admin.empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}
