import { TwoFactorSettings, useResource, useTwoFactor, type User } from 'twofold/react'
import { EventTable } from './event-table'
import { Page } from './layout'
import { Panel } from './panel'

/**
 * The account-security page: the kit's settings card (setup dialog, backup codes, trusted
 * devices) and the user's own recent events (`GET /api/two-factor/events`).
 */
export function AccountPage({ user }: { user: User }) {
  const { client } = useTwoFactor()
  const events = useResource(() => client.twoFactor.listEvents(), [client])
  const who = user.name ? `${user.name} (${user.email})` : user.email

  return (
    <Page
      title="Account security"
      intro={
        <>
          Signed in as <strong>{who}</strong>
          {user.role === 'admin' ? ', administrator' : ''}.
        </>
      }
    >
      {/* Every change of the second factor is an event: show it as soon as the card reloads. */}
      <TwoFactorSettings className="demo-card" onStatusChange={events.reload} />
      <Panel
        title="Recent security events"
        description="Sign-ins, codes used and changes to your second factor, newest first."
        resource={events}
      >
        <EventTable events={events.data?.events ?? []} caption="Your recent security events" />
      </Panel>
    </Page>
  )
}
