import { useState } from 'react'
import { useResource } from '../../primitives/hooks'
import { Button, Notice } from '../../primitives/parts'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'
import { RegenerateDialog } from './regenerate-dialog'

export interface BackupCodesPanelProps {
  /** Runs after a new set was generated, with the new codes. */
  onRegenerated?: (codes: string[]) => void
  /**
   * Remaining codes at or under which a warning shows.
   * @default 3
   */
  lowThreshold?: number
  className?: string
}

/** How many backup codes are left, which were used when, and a way to make a new set. */
export function BackupCodesPanel({
  onRegenerated,
  lowThreshold = 3,
  className,
}: BackupCodesPanelProps) {
  const { client, messages, formatDate, statusVersion } = useTwoFactor()
  const m = messages.backupCodes
  const [regenerating, setRegenerating] = useState(false)
  const list = useResource(() => client.twoFactor.listBackupCodes(), [client, statusVersion])

  const codes = list.data?.codes ?? []
  const remaining = codes.filter((code) => !code.usedAt).length
  const state =
    list.status !== 'ready'
      ? list.status
      : codes.length === 0
        ? 'empty'
        : remaining <= lowThreshold
          ? 'low'
          : 'ok'

  return (
    <Section data-slot="backup-codes-panel" data-state={state} className={className}>
      <SectionTitle level={3}>{m.title}</SectionTitle>
      <ResourceStatus resource={list} />
      {state === 'empty' && <p data-slot="empty">{m.empty}</p>}
      {codes.length > 0 && (
        <>
          <p data-slot="summary">{m.remaining(remaining, codes.length)}</p>
          {state === 'low' && <Notice tone="warning">{m.low}</Notice>}
          <ol data-slot="code-slots">
            {codes.map((code, index) => (
              <li key={code.id} data-slot="code-slot" data-state={code.usedAt ? 'used' : 'unused'}>
                <span data-slot="code-name">{m.slotLabel(index + 1)}</span>
                <span data-slot="code-status">
                  {code.usedAt ? m.usedOn(formatDate(code.usedAt)) : m.unused}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {list.data && <Button onClick={() => setRegenerating(true)}>{m.regenerate}</Button>}
      <RegenerateDialog
        open={regenerating}
        onOpenChange={setRegenerating}
        onRegenerated={(fresh) => {
          list.reload()
          onRegenerated?.(fresh)
        }}
      />
    </Section>
  )
}
