import { useEffect, useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { CodeBody } from '../../client/types'
import { ConfirmDialog } from '../../primitives/confirm-dialog'
import { Field } from '../../primitives/field'
import { useAction } from '../../primitives/hooks'
import { Button } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { useHasPasskey, useStepUp } from '../step-up/use-step-up'

export interface DisableDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  onDisabled: () => void
}

// Turns 2FA off with a TOTP or backup code, a passkey, or (in a known step-up window) nothing.
export function DisableDialog({ open, onOpenChange, onDisabled }: DisableDialogProps) {
  const { client, messages, stepUpUntil } = useTwoFactor()
  const m = messages.settings
  const [code, setCode] = useState('')
  // Sent without a code, the request needs the window; when the server finds none (it ran out,
  // another tab), useStepUp opens the provider's StepUpDialog and sends it once more. That one
  // dialog is the fallback rather than a field here: it offers the passkey first (a passkey-only
  // user's only way), counts down a lockout, and the window it opens serves the next action too.
  const disable = useAction(useStepUp((body?: CodeBody) => client.twoFactor.disable(body)))
  const recent = stepUpUntil > Date.now()
  const passkey = useHasPasskey(open && !recent)
  const { setError } = disable

  useEffect(() => {
    if (!open) return
    setCode('')
    setError(null)
  }, [open, setError])

  const confirm = async (body?: CodeBody) => {
    const result = await disable.run(body)
    if (result.ok) {
      onOpenChange(false)
      onDisabled()
    } else setCode('')
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={m.disableTitle}
      description={recent ? m.disableRecentDescription : m.disableDescription}
      confirmLabel={m.disable}
      pendingLabel={m.disabling}
      action={disable}
      confirmDisabled={!recent && !code.trim()}
      onConfirm={() => void confirm(recent ? undefined : { code: code.trim() })}
      data-slot="disable-dialog"
    >
      {!recent && passkey && (
        <div data-slot="step-up-passkey">
          <Button
            variant="primary"
            autoFocus
            disabled={disable.pending}
            onClick={() => void confirm()}
          >
            {messages.stepUp.usePasskey}
          </Button>
        </div>
      )}
      {!recent && (
        <Field label={messages.common.codeOrBackupLabel}>
          <input
            data-slot="input"
            name="code"
            type="text"
            autoComplete="one-time-code"
            spellCheck={false}
            maxLength={32}
            // Also when it appears because the window turned out to be over (a cancelled step-up)
            autoFocus={!passkey}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            aria-invalid={isApiError(disable.error) || undefined}
          />
        </Field>
      )}
    </ConfirmDialog>
  )
}
