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
  /** The confirm button's label while `action` is pending. */
  pendingLabel: ReactNode
  /** The `useAction` the dialog confirms: its pending state, and its error (announced). */
  action: { pending: boolean; error: unknown }
  onConfirm: () => void
  /** Extra fields (a reason, a code) between the description and the buttons. */
  children?: ReactNode
  /** Disables the confirm button, e.g. while a required field is empty. */
  confirmDisabled?: boolean
  /** @default 'confirm-dialog' */
  'data-slot'?: string
}

// A small dialog asking to confirm a destructive action, with optional fields; a form.
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  pendingLabel,
  action,
  onConfirm,
  children,
  confirmDisabled,
  'data-slot': slot = 'confirm-dialog',
}: ConfirmDialogProps) {
  const { messages, errorMessage } = useTwoFactor()
  const { pending, error } = action
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!pending && !confirmDisabled) onConfirm()
  }
  return (
    <DialogShell
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      data-slot={slot}
    >
      <form data-slot="confirm-form" data-state={pending ? 'pending' : 'idle'} onSubmit={submit}>
        {children}
        <LiveMessage>{error ? errorMessage(error) : null}</LiveMessage>
        <div data-slot="actions">
          <DialogClose asChild>
            <Button>{messages.common.cancel}</Button>
          </DialogClose>
          <Button
            type="submit"
            variant="danger"
            data-slot="confirm"
            pending={pending}
            disabled={confirmDisabled}
          >
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </form>
    </DialogShell>
  )
}
