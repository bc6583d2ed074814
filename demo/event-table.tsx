import { auditActionLabel, useTwoFactor, type AuditEvent } from 'twofold/react'

/**
 * The device an event came from, as the API names it when it does (trusted-device events carry
 * the server's `label`, "Chrome on macOS"); otherwise the user agent itself, cut short by CSS.
 */
function deviceOf(event: AuditEvent): string {
  const label = event.metadata.label
  return typeof label === 'string' ? label : (event.userAgent ?? '—')
}

function describeMetadata(metadata: Record<string, unknown>, methods: Record<string, string>) {
  return Object.entries(metadata)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      const name = key.replace(/([A-Z])/g, ' $1').toLowerCase()
      return `${name}: ${key === 'method' ? (methods[text] ?? text) : text}`
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
  const { formatTimestamp, messages } = useTwoFactor()
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
              <th scope="row">{auditActionLabel(messages.audit, event.action)}</th>
              {people && <td>{people(event.userId)}</td>}
              {people && <td>{people(event.actorId)}</td>}
              <td>{event.ip ?? '—'}</td>
              <td title={event.userAgent ?? undefined}>
                <span className="demo-device">{deviceOf(event)}</span>
              </td>
              <td>{describeMetadata(event.metadata, messages.audit.methods)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
