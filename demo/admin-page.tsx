import { TwoFactorAdminTable, TwoFactorPolicyForm, TwoFactorTrends } from 'twofold/react'
import { AuditPanel, OutboxPanel, StatsPanel } from './admin-panels'
import { Page } from './layout'

/**
 * For admins: numbers, trends, users with their 2FA state, the policy, the audit log and the
 * outbox.
 */
export function AdminPage() {
  return (
    <Page
      title="Administration"
      intro="Every user's two-factor state, the organization's policy, and what happened recently. The panels refresh on demand."
      wide
    >
      <StatsPanel />
      <TwoFactorTrends className="demo-card" />
      <TwoFactorAdminTable className="demo-card" />
      <div className="demo-columns">
        <TwoFactorPolicyForm className="demo-card" />
        <OutboxPanel />
      </div>
      <AuditPanel />
    </Page>
  )
}

/** Shown to a signed-in user who is not an admin. */
export function NotAllowedPage() {
  return (
    <Page title="Administration">
      <div role="alert" data-slot="notice" data-tone="warning" className="demo-notice">
        Only administrators can see this page. <a href="#/account">Back to your account</a>.
      </div>
    </Page>
  )
}
