import { useState } from 'react'
import type { AdminUser, AdminUsersQuery, Role } from '../../client/types'
import { useAction, useDebounced, useResource } from '../../primitives/hooks'
import { Button, LiveMessage } from '../../primitives/parts'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'
import { AdoptionHeader } from './adoption-header'
import { ResetDialog } from './reset-dialog'
import { UserFilters, type Filters } from './user-filters'
import { UsersTable } from './users-table'

export interface TwoFactorAdminTableProps {
  /**
   * Users per page.
   * @default 25
   */
  pageSize?: number
  className?: string
}

/** Every user's 2FA state, searchable and filterable on the server, with admin actions. */
export function TwoFactorAdminTable({ pageSize = 25, className }: TwoFactorAdminTableProps) {
  const { client, messages, errorMessage } = useTwoFactor()
  const m = messages.admin
  const [filters, setFilters] = useState<Filters>({ q: '', twoFactor: '', role: '' })
  const [page, setPage] = useState(1)
  const [resetTarget, setResetTarget] = useState<AdminUser | null>(null)
  const q = useDebounced(filters.q.trim(), 300)

  const query: AdminUsersQuery = {
    q: q || undefined,
    twoFactor: filters.twoFactor || undefined,
    role: filters.role || undefined,
    page,
    pageSize,
  }
  const users = useResource(
    () => client.admin.listUsers(query),
    [client, q, filters.twoFactor, filters.role, page, pageSize],
  )
  const stats = useResource(() => client.admin.getStats(), [client])
  // Who the admins are, to offer no "Make user" to the last one (the API answers 409 LAST_ADMIN).
  const admins = useResource(() => client.admin.listUsers({ role: 'admin', pageSize: 2 }), [client])
  const soleAdminId = admins.data?.total === 1 ? admins.data.users[0]?.id : null
  const refresh = () => {
    users.reload()
    stats.reload()
    admins.reload()
  }

  const rowAction = useAction(async (run: () => Promise<unknown>) => {
    await run()
    refresh()
  })

  const changeFilters = (next: Filters) => {
    setFilters(next)
    setPage(1)
  }

  const unlock = (user: AdminUser) => void rowAction.run(() => client.admin.unlockUser(user.id))
  const toggleRole = (user: AdminUser) => {
    const role: Role = user.role === 'admin' ? 'user' : 'admin'
    void rowAction.run(() => client.admin.setRole(user.id, { role }))
  }

  const data = users.data
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1
  const state = users.status === 'ready' && data?.users.length === 0 ? 'empty' : users.status

  return (
    <Section data-slot="two-factor-admin-table" data-state={state} className={className}>
      <SectionTitle>{m.title}</SectionTitle>
      <AdoptionHeader stats={stats} />
      <UserFilters value={filters} onChange={changeFilters} />
      <LiveMessage>
        {users.status === 'error'
          ? errorMessage(users.error)
          : rowAction.error
            ? errorMessage(rowAction.error)
            : null}
      </LiveMessage>
      {users.status === 'error' && <Button onClick={users.reload}>{messages.common.retry}</Button>}
      <UsersTable
        users={data?.users ?? []}
        loading={users.status === 'loading'}
        pending={rowAction.pending}
        onReset={setResetTarget}
        onUnlock={unlock}
        onToggleRole={toggleRole}
        soleAdminId={soleAdminId}
      />
      {data && data.total > 0 && (
        <nav data-slot="pagination" aria-label={m.page(data.page, pages)}>
          <span data-slot="range">
            {m.range(
              (data.page - 1) * data.pageSize + 1,
              Math.min(data.total, data.page * data.pageSize),
              data.total,
            )}
          </span>
          <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {m.previous}
          </Button>
          <span data-slot="page">{m.page(data.page, pages)}</span>
          <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {m.next}
          </Button>
        </nav>
      )}
      <ResetDialog user={resetTarget} onClose={() => setResetTarget(null)} onReset={refresh} />
    </Section>
  )
}
