import { useState } from 'react'
import type { TrustedDevice } from '../../client/types'
import { ConfirmDialog } from '../../primitives/confirm-dialog'
import { useAction, useResource } from '../../primitives/hooks'
import { Button } from '../../primitives/parts'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'

export interface TrustedDevicesProps {
  /** Runs after one or all devices were revoked. */
  onRevoked?: () => void
  className?: string
}

type Target = TrustedDevice | 'all'

/** The devices that skip the second step, with revoke one and revoke all. */
export function TrustedDevices({ onRevoked, className }: TrustedDevicesProps) {
  const { client, messages, formatDate, statusVersion } = useTwoFactor()
  const m = messages.devices
  const list = useResource(() => client.twoFactor.listTrustedDevices(), [client, statusVersion])
  const [target, setTarget] = useState<Target | null>(null)
  const revoke = useAction((which: Target) =>
    which === 'all'
      ? client.twoFactor.revokeAllTrustedDevices()
      : client.twoFactor.revokeTrustedDevice(which.id),
  )

  const open = (which: Target) => {
    revoke.setError(null)
    setTarget(which)
  }

  const confirm = async () => {
    if (!target) return
    const result = await revoke.run(target)
    if (!result.ok) return
    setTarget(null)
    list.reload()
    onRevoked?.()
  }

  const devices = list.data?.devices ?? []
  const state = list.status !== 'ready' ? list.status : devices.length ? 'ready' : 'empty'

  return (
    <Section data-slot="trusted-devices" data-state={state} className={className}>
      <SectionTitle level={3}>{m.title}</SectionTitle>
      <p data-slot="description">{m.description}</p>
      <ResourceStatus resource={list} />
      {state === 'empty' && <p data-slot="empty">{m.empty}</p>}
      {devices.length > 0 && (
        <>
          <ul data-slot="device-list">
            {devices.map((device) => (
              <li
                key={device.id}
                data-slot="device"
                data-state={device.current ? 'current' : 'other'}
              >
                <span data-slot="device-label">
                  {device.label}
                  {device.current && <span data-slot="badge">{m.thisDevice}</span>}
                </span>
                <span data-slot="device-meta">
                  {m.lastUsed(
                    device.lastUsedAt ? formatDate(device.lastUsedAt) : messages.common.never,
                  )}
                  {' · '}
                  {m.expires(formatDate(device.expiresAt))}
                </span>
                <Button
                  variant="danger"
                  aria-label={m.revokeLabel(device.label)}
                  onClick={() => open(device)}
                >
                  {m.revoke}
                </Button>
              </li>
            ))}
          </ul>
          <Button variant="danger" data-slot="revoke-all" onClick={() => open('all')}>
            {m.revokeAll}
          </Button>
        </>
      )}
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(next) => !next && setTarget(null)}
        title={target === 'all' ? m.revokeAllTitle : m.revokeTitle(target?.label ?? '')}
        description={target === 'all' ? m.revokeAllDescription : m.revokeDescription}
        confirmLabel={target === 'all' ? m.revokeAll : m.revoke}
        pendingLabel={m.revoking}
        action={revoke}
        onConfirm={() => void confirm()}
      />
    </Section>
  )
}
