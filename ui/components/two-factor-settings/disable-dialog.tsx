import { useState } from 'react'
import { ConfirmDialog } from '../../primitives/confirm-dialog'
import { Field } from '../../primitives/field'
import { useAction } from '../../primitives/hooks'
import { useTwoFactor } from '../../provider/provider'

export interface DisableDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  onDisabled: () => void
}

/** Asks for a TOTP or backup code before turning 2FA off. */
export function DisableDialog({ open, onOpenChange, onDisabled }: DisableDialogProps) {
  const { client, messages } = useTwoFactor()
  const m = messages.settings
  const [code, setCode] = useState('')
  const disable = useAction((value: string) => client.twoFactor.disable({ code: value }))

  const change = (next: boolean) => {
    if (next) {
      setCode('')
      disable.setError(null)
    }
    onOpenChange(next)
  }

  const confirm = async () => {
    const result = await disable.run(code.trim())
    if (result.ok) {
      onOpenChange(false)
      onDisabled()
    } else setCode('')
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={change}
      title={m.disableTitle}
      description={m.disableDescription}
      confirmLabel={m.disable}
      pendingLabel={m.disabling}
      action={disable}
      confirmDisabled={!code.trim()}
      onConfirm={() => void confirm()}
      data-slot="disable-dialog"
    >
      <Field label={messages.common.codeOrBackupLabel}>
        <input
          data-slot="input"
          name="code"
          type="text"
          autoComplete="one-time-code"
          spellCheck={false}
          maxLength={32}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          aria-invalid={Boolean(disable.error) || undefined}
        />
      </Field>
    </ConfirmDialog>
  )
}
