import type { FormEvent, ReactNode } from 'react'
import { useTwoFactor } from '../provider/provider'
import { DialogClose, DialogShell } from './dialog'
import { Button, LiveMessage } from './parts'

export interface ConfirmDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  description: ReactNode
  confirmLabel: ReactNode
  busyLabel: ReactNode
  busy: boolean
  /** Error message shown (and announced) above the buttons. */
  error?: ReactNode
  onConfirm: () => void
  /** Extra fields (a reason, a code) between the description and the buttons. */
  children?: ReactNode
  /** @default 'danger' */
  variant?: 'primary' | 'danger'
  /** Disables the confirm button, e.g. while a required field is empty. */
  confirmDisabled?: boolean
  slot?: string
}

/** A small dialog asking to confirm an action, with optional fields; submits as a form. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  busyLabel,
  busy,
  error,
  onConfirm,
  children,
  variant = 'danger',
  confirmDisabled,
  slot = 'confirm-dialog',
}: ConfirmDialogProps) {
  const { messages } = useTwoFactor()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!busy && !confirmDisabled) onConfirm()
  }
  return (
    <DialogShell
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      slot={slot}
    >
      <form data-slot="confirm-form" data-state={busy ? 'busy' : 'idle'} onSubmit={submit}>
        {children}
        <LiveMessage>{error}</LiveMessage>
        <div data-slot="actions">
          <DialogClose asChild>
            <Button>{messages.common.cancel}</Button>
          </DialogClose>
          <Button
            type="submit"
            variant={variant}
            slot="confirm"
            disabled={busy || confirmDisabled}
            aria-busy={busy || undefined}
          >
            {busy ? busyLabel : confirmLabel}
          </Button>
        </div>
      </form>
    </DialogShell>
  )
}
