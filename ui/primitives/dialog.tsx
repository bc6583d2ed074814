import * as Dialog from '@radix-ui/react-dialog'
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { useTwoFactor } from '../provider/provider'
import { cn } from './hooks'

export interface DialogShellProps {
  open?: boolean
  defaultOpen?: boolean
  onOpenChange?: (open: boolean) => void
  /** Element that opens the dialog; wrapped in Radix `Dialog.Trigger asChild`. */
  trigger?: ReactNode
  title: ReactNode
  description: ReactNode
  children?: ReactNode
  className?: string
  /** data-slot of the content element. */
  slot?: string
  /** When false, Escape and outside clicks do not close the dialog. */
  dismissible?: boolean
  /** Runs when the dialog opens; call `event.preventDefault()` to place focus yourself. */
  onOpenAutoFocus?: (event: Event) => void
}

/** Radix Dialog with the kit's overlay, labelled title and description, and close button. */
export function DialogShell({
  open,
  defaultOpen,
  onOpenChange,
  trigger,
  title,
  description,
  children,
  className,
  slot = 'dialog',
  dismissible = true,
  onOpenAutoFocus,
}: DialogShellProps) {
  const { messages } = useTwoFactor()
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen ?? false)
  const isOpen = open ?? uncontrolledOpen
  const opener = useRef<HTMLElement | null>(null)
  const keepOpen = (event: Event) => {
    if (!dismissible) event.preventDefault()
  }
  const changeOpen = (next: boolean) => {
    onOpenChange?.(next)
    if (open === undefined) setUncontrolledOpen(next)
  }

  // Radix gives focus back only to a Dialog.Trigger; our dialogs are mostly opened by the
  // caller's own buttons. The content mounts a render later (its portal waits for a layout
  // effect), so what has focus here is still the control that opened the dialog.
  useLayoutEffect(() => {
    if (!isOpen) return
    const active = document.activeElement
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null
  }, [isOpen])

  const returnFocus = (event: Event) => {
    const target = opener.current
    opener.current = null
    if (!target?.isConnected) return // Radix's own handling: the trigger, if there is one
    event.preventDefault()
    target.focus()
  }

  return (
    <Dialog.Root open={isOpen} onOpenChange={changeOpen}>
      {trigger && <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>}
      <Dialog.Portal>
        <Dialog.Overlay data-slot="dialog-overlay" className="twofold-overlay" />
        <Dialog.Content
          data-slot={slot}
          className={cn('twofold-root', 'twofold-dialog', className)}
          onEscapeKeyDown={keepOpen}
          onInteractOutside={keepOpen}
          onOpenAutoFocus={onOpenAutoFocus}
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
