import { useState } from 'react'
import { Button, useResource, useTwoFactor } from 'twofold/react'
import { EventTable } from './event-table'
import { Panel } from './panel'

/** Adoption and the last 30 days in numbers (`GET /api/admin/stats`). */
export function StatsPanel() {
  const { client } = useTwoFactor()
  const stats = useResource(() => client.admin.getStats(), [client])
  const data = stats.data
  const figures = data
    ? [
        ['Users', data.totalUsers],
        ['Using two-factor', data.twoFactorUsers],
        ['Adoption', `${Math.round(data.adoptionRate * 100)}%`],
        ['Turned on (30 days)', data.last30Days.enabled],
        ['Turned off (30 days)', data.last30Days.disabled],
        ['Failed codes (30 days)', data.last30Days.failedAttempts],
        ['Lockouts (30 days)', data.last30Days.lockouts],
        ['Backup codes used (30 days)', data.last30Days.backupCodesUsed],
      ]
    : []
  return (
    <Panel title="Overview" resource={stats}>
      <dl className="demo-stats">
        {figures.map(([label, value]) => (
          <div key={label} className="demo-stat">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Panel>
  )
}

const AUDIT_PAGE_SIZE = 20

/** Every user's recent events (`GET /api/admin/audit`), with the users' emails. */
export function AuditPanel() {
  const { client } = useTwoFactor()
  const [page, setPage] = useState(1)
  const audit = useResource(
    () => client.admin.listAudit({ page, pageSize: AUDIT_PAGE_SIZE }),
    [client, page],
  )
  // Ids are all an event carries; the first 100 users cover a demo.
  const users = useResource(() => client.admin.listUsers({ pageSize: 100 }), [client, audit.data])
  const emails = new Map(users.data?.users.map((user) => [user.id, user.email] as const))
  const people = (id: string | null) => (id === null ? '—' : (emails.get(id) ?? id))
  const total = audit.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE))

  return (
    <Panel title="Audit log" description="What happened to whom, newest first." resource={audit}>
      <EventTable events={audit.data?.events ?? []} caption="Audit log" people={people} />
      {total > AUDIT_PAGE_SIZE && (
        <nav className="demo-pagination" aria-label="Audit log pages">
          <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <span>
            Page {page} of {pages}
          </span>
          <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </nav>
      )}
    </Panel>
  )
}

/** Mail the default mailer recorded instead of sending (`GET /api/admin/outbox`), as text. */
export function OutboxPanel() {
  const { client, formatTimestamp } = useTwoFactor()
  const outbox = useResource(() => client.admin.listOutbox(), [client])
  const messages = outbox.data?.messages ?? []
  return (
    <Panel
      title="Notification outbox"
      description="Without TWOFOLD_MAILER_URL, the server keeps its mail here instead of sending it."
      resource={outbox}
    >
      {messages.length === 0 ? (
        <p className="demo-empty">No messages yet.</p>
      ) : (
        <ol className="demo-outbox">
          {messages.map((message) => (
            <li key={message.id}>
              <article aria-labelledby={`${message.id}-subject`} className="demo-message">
                <h3 id={`${message.id}-subject`}>{message.subject}</h3>
                <p className="demo-message-meta">
                  To {message.to} ·{' '}
                  <time dateTime={message.createdAt}>{formatTimestamp(message.createdAt)}</time>
                </p>
                <pre className="demo-message-text">{message.text}</pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  )
}
