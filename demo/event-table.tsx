import { useTwoFactor, type AuditEvent } from 'twofold/react'

const ACTIONS: Record<string, string> = {
  sign_up: 'Account created',
  sign_in: 'Signed in',
  sign_in_failed: 'Sign-in failed',
  two_factor_challenge_passed: 'Second step passed',
  two_factor_challenge_failed: 'Second step failed',
  two_factor_enabled: 'Two-factor turned on',
  two_factor_disabled: 'Two-factor turned off',
  backup_code_used: 'Backup code used',
  backup_codes_regenerated: 'New backup codes',
  email_code_sent: 'Code sent by email',
  trusted_device_added: 'Device remembered',
  trusted_device_revoked: 'Trusted device revoked',
  account_locked: 'Second factor locked',
  admin_two_factor_reset: 'Two-factor reset by an admin',
  admin_unlock: 'Unlocked by an admin',
  admin_role_changed: 'Role changed',
  policy_changed: 'Policy changed',
}

const METHODS: Record<string, string> = {
  totp: 'authenticator app',
  backup_code: 'backup code',
  email: 'emailed code',
}

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action.replace(/_/g, ' ')
}

/** `Chrome 126 on Linux` from a user-agent string; the full string stays in a tooltip. */
export function describeAgent(userAgent: string | null): string {
  if (!userAgent) return '—'
  const browser = userAgent.match(/(Edg|OPR|Firefox|HeadlessChrome|Chrome|Version)\/(\d+)/)
  const os = userAgent.match(/(Windows|Android|iPhone|iPad|Mac OS X|CrOS|Linux)/)
  if (!browser) return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent
  const name = browser[1] === 'Version' ? 'Safari' : browser[1] === 'Edg' ? 'Edge' : browser[1]
  const system = os?.[1] === 'Mac OS X' ? 'macOS' : os?.[1]
  return `${name} ${browser[2]}${system ? ` on ${system}` : ''}`
}

function describeMetadata(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      return `${key.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${key === 'method' ? (METHODS[text] ?? text) : text}`
    })
    .join(', ')
}

export interface EventTableProps {
  events: AuditEvent[]
  /** Names the table for assistive technology. */
  caption: string
  /** Shows who the event is about and who did it; the name of each user id when known. */
  people?: (userId: string | null) => string
  empty?: string
}

/** Audit events, newest first, as a table. */
export function EventTable({ events, caption, people, empty = 'No events yet.' }: EventTableProps) {
  const { formatTimestamp } = useTwoFactor()
  if (events.length === 0) return <p className="demo-empty">{empty}</p>
  return (
    <div className="demo-table-wrapper">
      <table className="demo-table">
        <caption className="demo-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            {people && <th scope="col">User</th>}
            {people && <th scope="col">By</th>}
            <th scope="col">IP address</th>
            <th scope="col">Device</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} data-action={event.action}>
              <td className="demo-nowrap">
                <time dateTime={event.createdAt}>{formatTimestamp(event.createdAt)}</time>
              </td>
              <th scope="row">{actionLabel(event.action)}</th>
              {people && <td>{people(event.userId)}</td>}
              {people && <td>{people(event.actorId)}</td>}
              <td>{event.ip ?? '—'}</td>
              <td title={event.userAgent ?? undefined}>{describeAgent(event.userAgent)}</td>
              <td>{describeMetadata(event.metadata)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
