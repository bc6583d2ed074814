import type { AdminUser } from '../../client/types'
import { CompactDate } from '../../primitives/compact-date'
import { Button } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'

export interface UserRowProps {
  user: AdminUser
  /** A row action's request is in flight: the other row actions wait. */
  pending: boolean
  onReset: (user: AdminUser) => void
  onUnlock: (user: AdminUser) => void
  onToggleRole: (user: AdminUser) => void
  /** The only admin's id, if there is just one: they cannot be made a user (409 LAST_ADMIN). */
  soleAdminId?: string | null
}

export function isLocked(user: AdminUser, now = Date.now()): boolean {
  return Boolean(user.lockedUntil && Date.parse(user.lockedUntil) > now)
}

/** One user: their 2FA facts and the actions an admin can take on them. */
export function UserRow({
  user,
  pending,
  onReset,
  onUnlock,
  onToggleRole,
  soleAdminId,
}: UserRowProps) {
  const { messages } = useTwoFactor()
  const m = messages.admin
  const c = m.columns
  const locked = isLocked(user)
  const roleAction = user.role === 'admin' ? m.makeUser : m.makeAdmin
  return (
    <tr
      data-slot="user-row"
      data-state={locked ? 'locked' : user.twoFactorEnabled ? 'enabled' : 'disabled'}
    >
      <th scope="row" data-slot="cell" data-column="email">
        {user.email}
      </th>
      <td data-slot="cell" data-column="name" data-state={user.name ? undefined : 'empty'}>
        {user.name ?? ''}
      </td>
      <td data-slot="cell" data-column="role">
        {user.role === 'admin' ? m.roleAdmin : m.roleUser}
      </td>
      <td
        data-slot="cell"
        data-column="twoFactor"
        data-state={user.twoFactorEnabled ? 'enabled' : 'disabled'}
      >
        <span data-slot="badge" data-tone={user.twoFactorEnabled ? 'success' : 'neutral'}>
          {user.twoFactorEnabled ? m.on : m.off}
        </span>
        {user.twoFactorEnabled && user.twoFactorEnabledAt && (
          <>
            {' '}
            <span data-slot="since">
              {m.since} <CompactDate iso={user.twoFactorEnabledAt} />
            </span>
          </>
        )}
        {user.twoFactorEnabled && user.authenticators && (
          <span
            data-slot="authenticator-counts"
            data-totp={user.authenticators.totp}
            data-passkey={user.authenticators.passkey}
          >
            {m.authenticators(user.authenticators.totp, user.authenticators.passkey)}
          </span>
        )}
      </td>
      <td
        data-slot="cell"
        data-column="backupCodes"
        data-label={c.backupCodes}
        data-state={user.twoFactorEnabled ? undefined : 'empty'}
      >
        {user.twoFactorEnabled ? user.backupCodesRemaining : '—'}
      </td>
      <td data-slot="cell" data-column="lastSignIn" data-label={c.lastSignIn}>
        {user.lastSignInAt ? <CompactDate iso={user.lastSignInAt} /> : messages.common.never}
      </td>
      <td
        data-slot="cell"
        data-column="lockedUntil"
        data-label={c.lockedUntil}
        data-state={locked ? 'locked' : 'empty'}
      >
        {locked && user.lockedUntil ? (
          <span data-slot="badge" data-tone="warning">
            <CompactDate iso={user.lockedUntil} />
          </span>
        ) : (
          m.notLocked
        )}
      </td>
      <td data-slot="row-actions" data-column="actions">
        {user.twoFactorEnabled && (
          <Button
            variant="danger"
            aria-label={m.resetLabel(user.email)}
            onClick={() => onReset(user)}
          >
            {m.reset}
          </Button>
        )}
        {locked && (
          <Button
            aria-label={m.unlockLabel(user.email)}
            disabled={pending}
            onClick={() => onUnlock(user)}
          >
            {m.unlock}
          </Button>
        )}
        {user.role === 'admin' && user.id === soleAdminId ? (
          <span data-slot="role-note">{m.soleAdmin}</span>
        ) : (
          <Button
            aria-label={m.roleLabel(roleAction, user.email)}
            disabled={pending}
            onClick={() => onToggleRole(user)}
          >
            {roleAction}
          </Button>
        )}
      </td>
    </tr>
  )
}
