import { useEffect, useId, useState, type ReactNode } from 'react'
import type { EnabledResponse } from '../../client/types'
import { CodeSheet } from '../../primitives/code-sheet'
import { DialogClose, DialogShell } from '../../primitives/dialog'
import { Button, Checkbox, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { ConfirmStep, ScanStep } from './setup-steps'
import { useSetup } from './use-setup'

/** The other way in, where the browser supports WebAuthn: a passkey or security key. */
function PasskeyOption({ wizard }: { wizard: ReturnType<typeof useSetup> }) {
  const { messages } = useTwoFactor()
  const m = messages.setup
  const hintId = useId()
  const waiting = wizard.status === 'pending' && wizard.factor === 'passkey'
  return (
    <div data-slot="setup-passkey-option">
      <p data-slot="hint" id={hintId}>
        {m.choosePasskeyHint}
      </p>
      <Button
        aria-describedby={hintId}
        pending={waiting}
        disabled={wizard.status === 'pending'}
        onClick={() => void wizard.startPasskey()}
      >
        {waiting ? m.passkeyWaiting : m.choosePasskey}
      </Button>
    </div>
  )
}

export interface TwoFactorSetupDialogProps {
  /** Controlled open state. */
  open?: boolean
  /**
   * Initial open state when uncontrolled.
   * @default false
   */
  defaultOpen?: boolean
  onOpenChange?: (open: boolean) => void
  /** Runs as soon as the server confirms 2FA is on, with the new backup codes. */
  onEnabled?: (result: EnabledResponse) => void
  /** An element that opens the dialog, e.g. a button. */
  trigger?: ReactNode
  className?: string
}

/**
 * Guides the user from intro to QR code, code confirmation, backup codes and done. Where the
 * browser supports WebAuthn, the intro also offers "Use a passkey or security key" beside the
 * authenticator app's "Get started"; a passkey that turns 2FA on brings its backup codes the
 * same way.
 */
export function TwoFactorSetupDialog({
  open,
  defaultOpen = false,
  onOpenChange,
  onEnabled,
  trigger,
  className,
}: TwoFactorSetupDialogProps) {
  const { messages } = useTwoFactor()
  const m = messages.setup
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen)
  const isOpen = open ?? uncontrolledOpen
  const wizard = useSetup(onEnabled)
  const { step, status, reset } = wizard

  // Every opening starts from the beginning.
  useEffect(() => {
    if (isOpen) reset()
  }, [isOpen, reset])

  const setOpen = (next: boolean) => {
    onOpenChange?.(next)
    if (open === undefined) setUncontrolledOpen(next)
  }

  return (
    <DialogShell
      open={isOpen}
      onOpenChange={setOpen}
      trigger={trigger}
      title={m.title}
      description={wizard.description}
      data-slot="two-factor-setup-dialog"
      className={className}
      dismissible={step !== 'codes'}
    >
      <div data-slot="setup-step" data-step={step} data-state={status}>
        {step === 'intro' && (
          <div data-slot="setup-intro">
            <p>{m.introBody}</p>
            {wizard.canUsePasskey && <PasskeyOption wizard={wizard} />}
            <LiveMessage>{wizard.error}</LiveMessage>
            <div data-slot="actions">
              <DialogClose asChild>
                <Button>{messages.common.cancel}</Button>
              </DialogClose>
              <Button
                variant="primary"
                autoFocus
                pending={status === 'pending' && wizard.factor === 'app'}
                disabled={status === 'pending'}
                onClick={() => void wizard.start()}
              >
                {status === 'pending' && wizard.factor === 'app'
                  ? m.starting
                  : status === 'error' && wizard.factor === 'app'
                    ? messages.common.retry
                    : m.start}
              </Button>
            </div>
          </div>
        )}
        {step === 'scan' && wizard.setup && (
          <ScanStep setup={wizard.setup} onContinue={() => wizard.go('confirm')} />
        )}
        {step === 'confirm' && (
          <ConfirmStep
            pending={status === 'pending'}
            error={wizard.error}
            rejections={wizard.rejections}
            onVerify={(code) => void wizard.verify(code)}
            onBack={() => wizard.go('scan')}
          />
        )}
        {step === 'codes' && (
          <div data-slot="setup-codes">
            <CodeSheet codes={wizard.backupCodes} autoFocus />
            <Checkbox
              label={m.savedCheckbox}
              checked={wizard.saved}
              onChange={(event) => wizard.setSaved(event.target.checked)}
            />
            <div data-slot="actions">
              <Button variant="primary" disabled={!wizard.saved} onClick={() => wizard.go('done')}>
                {m.finish}
              </Button>
            </div>
          </div>
        )}
        {step === 'done' && (
          <div data-slot="setup-done">
            <p>{wizard.factor === 'passkey' ? m.passkeyDoneBody : m.doneBody}</p>
            <div data-slot="actions">
              <DialogClose asChild>
                <Button variant="primary" autoFocus>
                  {m.doneButton}
                </Button>
              </DialogClose>
            </div>
          </div>
        )}
      </div>
    </DialogShell>
  )
}
