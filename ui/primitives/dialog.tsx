import * as Dialog from '@radix-ui/react-dialog'
import { useLayoutEffect, useRef, type ReactNode } from 'react'
import { useTwoFactor } from '../provider/provider'
import { cn } from './cn'

export interface DialogShellProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Element that opens the dialog; wrapped in Radix `Dialog.Trigger asChild`. */
  trigger?: ReactNode
  title: ReactNode
  description: ReactNode
  children?: ReactNode
  className?: string
  /** @default 'dialog' */
  'data-slot'?: string
  /** When false, Escape and outside clicks do not close the dialog. */
  dismissible?: boolean
}

// Radix Dialog with the kit's overlay, labelled title and description, and close button.
// Controlled: the components that use it hold the open state (and offer `defaultOpen`).
export function DialogShell({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  children,
  className,
  'data-slot': slot = 'dialog',
  dismissible = true,
}: DialogShellProps) {
  const { messages } = useTwoFactor()
  const opener = useRef<HTMLElement | null>(null)
  const keepOpen = (event: Event) => {
    if (!dismissible) event.preventDefault()
  }

  // Radix gives focus back only to a Dialog.Trigger; our dialogs are mostly opened by the
  // caller's own buttons. The content mounts a render later (its portal waits for a layout
  // effect), so what has focus here is still the control that opened the dialog.
  useLayoutEffect(() => {
    if (!open) return
    const active = document.activeElement
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null
  }, [open])

  const returnFocus = (event: Event) => {
    const target = opener.current
    opener.current = null
    if (!target?.isConnected) return // Radix's own handling: the trigger, if there is one
    event.preventDefault()
    target.focus()
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>}
      <Dialog.Portal>
        <Dialog.Overlay data-slot="dialog-overlay" className="twofold-overlay" />
        <Dialog.Content
          data-slot={slot}
          className={cn('twofold-root', 'twofold-dialog', className)}
          onEscapeKeyDown={keepOpen}
          onInteractOutside={keepOpen}
          onCloseAutoFocus={returnFocus}
        >
          <Dialog.Title data-slot="dialog-title">{title}</Dialog.Title>
          <Dialog.Description data-slot="dialog-description">{description}</Dialog.Description>
          {children}
          {dismissible && (
            <Dialog.Close data-slot="dialog-close" aria-label={messages.common.close}>
              <span aria-hidden="true">×</span>
            </Dialog.Close>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export const DialogClose = Dialog.Close
