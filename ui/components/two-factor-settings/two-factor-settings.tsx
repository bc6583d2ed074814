import { useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { TwoFactorStatus } from '../../client/types'
import { useResource } from '../../primitives/hooks'
import { Button, Notice } from '../../primitives/parts'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'
import { Authenticators } from '../authenticators/authenticators'
import { BackupCodesPanel } from '../backup-codes-panel/backup-codes-panel'
import { TrustedDevices } from '../trusted-devices/trusted-devices'
import { DisableDialog } from './disable-dialog'

export interface TwoFactorSettingsProps {
  /** Runs whenever a fresh status was loaded, e.g. after enabling or disabling. */
  onStatusChange?: (status: TwoFactorStatus) => void
  className?: string
}

/**
 * The security-settings card: status, policy banner, enable, disable, authenticators, backup
 * codes and trusted devices.
 */
export function TwoFactorSettings({ onStatusChange, className }: TwoFactorSettingsProps) {
  const { client, messages, formatDate, statusVersion, requestSetup } = useTwoFactor()
  const m = messages.settings
  const [disableOpen, setDisableOpen] = useState(false)
  const status = useResource(async () => {
    const fresh = await client.twoFactor.getStatus()
    onStatusChange?.(fresh)
    return fresh
  }, [client, statusVersion])
  const data = status.data
  const enabled = data?.enabled ?? false
  // A server that fences even the status read: retrying is useless, enrolling is the way out.
  const fenced =
    !data && isApiError(status.error) && status.error.code === 'TWO_FACTOR_SETUP_REQUIRED'
  const state = data ? (enabled ? 'enabled' : 'disabled') : fenced ? 'disabled' : status.status

  return (
    <Section data-slot="two-factor-settings" data-state={state} className={className}>
      <header data-slot="header">
        <SectionTitle>{m.title}</SectionTitle>
        {data && (
          <span data-slot="badge" data-state={enabled ? 'enabled' : 'disabled'}>
            {enabled ? m.enabled : m.disabled}
          </span>
        )}
      </header>
      <p data-slot="description">{m.description}</p>
      {fenced ? (
        <>
          <Notice tone="warning" data-slot="policy-banner">
            {m.requiredBannerNow}
          </Notice>
          <div data-slot="actions">
            <Button variant="primary" onClick={requestSetup}>
              {m.enable}
            </Button>
          </div>
        </>
      ) : (
        <ResourceStatus resource={status} />
      )}
      {data && (
        <>
          {data.required && !enabled && (
            <Notice tone="warning" data-slot="policy-banner">
              {data.setupDeadline && Date.parse(data.setupDeadline) > Date.now()
                ? m.requiredBanner(formatDate(data.setupDeadline))
                : m.requiredBannerNow}
            </Notice>
          )}
          <p data-slot="status">
            {enabled && data.enabledAt ? m.enabledSince(formatDate(data.enabledAt)) : null}
            {!enabled ? m.notEnabled : null}
            {data.required && enabled ? ` ${m.requiredByPolicy}` : null}
          </p>
          <div data-slot="actions">
            {enabled ? (
              <Button variant="danger" onClick={() => setDisableOpen(true)}>
                {m.disable}
              </Button>
            ) : (
              <Button variant="primary" onClick={requestSetup}>
                {data.pending ? m.resume : m.enable}
              </Button>
            )}
          </div>
          {enabled && <Authenticators />}
          {enabled && <BackupCodesPanel />}
          {enabled && <TrustedDevices />}
        </>
      )}
      <DisableDialog open={disableOpen} onOpenChange={setDisableOpen} onDisabled={status.reload} />
    </Section>
  )
}
