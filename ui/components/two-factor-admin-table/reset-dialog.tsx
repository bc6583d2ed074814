import { useEffect, useState } from 'react'
import type { AdminUser } from '../../client/types'
import { ConfirmDialog } from '../../primitives/confirm-dialog'
import { Field } from '../../primitives/field'
import { useAction } from '../../primitives/hooks'
import { useTwoFactor } from '../../provider/provider'

export interface ResetDialogProps {
  /** The user to reset; the dialog is open while set. */
  user: AdminUser | null
  onClose: () => void
  onReset: () => void
}

/** Confirms an admin reset of a user's 2FA, with an optional reason for the audit log. */
export function ResetDialog({ user, onClose, onReset }: ResetDialogProps) {
  const { client, messages } = useTwoFactor()
  const m = messages.admin
  const [reason, setReason] = useState('')
  const reset = useAction((target: AdminUser, why: string) =>
    client.admin.resetTwoFactor(target.id, why ? { reason: why } : {}),
  )
  const { setError } = reset

  useEffect(() => {
    setReason('')
    setError(null)
  }, [user, setError])

  const confirm = async () => {
    if (!user) return
    const result = await reset.run(user, reason.trim())
    if (!result.ok) return
    onClose()
    onReset()
  }

  return (
    <ConfirmDialog
      open={user !== null}
      onOpenChange={(open) => !open && onClose()}
      title={m.resetTitle(user?.email ?? '')}
      description={m.resetDescription}
      confirmLabel={m.reset}
      pendingLabel={m.resetting}
      action={reset}
      onConfirm={() => void confirm()}
      data-slot="reset-dialog"
    >
      <Field label={m.resetReason}>
        <textarea
          data-slot="textarea"
          name="reason"
          maxLength={500}
          rows={3}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </Field>
    </ConfirmDialog>
  )
}
