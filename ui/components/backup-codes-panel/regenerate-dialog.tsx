import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { isApiError } from '../../client/api-error'
import { CodeSheet } from '../../primitives/code-sheet'
import { DialogClose, DialogShell } from '../../primitives/dialog'
import { useAction } from '../../primitives/hooks'
import { OtpField } from '../../primitives/otp-field'
import { Button, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'

export interface RegenerateDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Runs with the new codes once the server issued them. */
  onRegenerated?: (codes: string[]) => void
}

/** Asks for a TOTP code, then shows the new set of backup codes once. */
export function RegenerateDialog({ open, onOpenChange, onRegenerated }: RegenerateDialogProps) {
  const { client, messages, errorMessage } = useTwoFactor()
  const m = messages.backupCodes
  const [code, setCode] = useState('')
  const [codes, setCodes] = useState<string[] | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const errorId = useId()
  const action = useAction((value: string) =>
    client.twoFactor.regenerateBackupCodes({ code: value }),
  )
  const { setError } = action

  useEffect(() => {
    if (!open) return
    setCode('')
    setCodes(null)
    setError(null)
  }, [open, setError])

  const generate = async (value: string) => {
    if (action.pending || value.length !== 6) return
    const result = await action.run(value)
    if (result.ok) {
      setCodes(result.value.backupCodes)
      onRegenerated?.(result.value.backupCodes)
    } else if (isApiError(result.error) && result.error.code === 'INVALID_CODE') {
      setCode('')
      inputRef.current?.focus()
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void generate(code)
  }

  return (
    <DialogShell
      open={open}
      onOpenChange={onOpenChange}
      title={m.regenerateTitle}
      description={codes ? m.newCodesDescription : m.regenerateDescription}
      data-slot="regenerate-dialog"
    >
      {codes ? (
        <div data-slot="regenerate-result" data-state="done">
          <CodeSheet codes={codes} autoFocus />
          <div data-slot="actions">
            <DialogClose asChild>
              <Button variant="primary">{m.done}</Button>
            </DialogClose>
          </div>
        </div>
      ) : (
        <form
          data-slot="regenerate-form"
          data-state={action.pending ? 'pending' : action.error ? 'error' : 'idle'}
          onSubmit={submit}
          noValidate
        >
          <OtpField
            ref={inputRef}
            label={messages.common.codeLabel}
            hint={messages.common.codeHint}
            value={code}
            onChange={setCode}
            onComplete={(value) => void generate(value)}
            invalid={Boolean(action.error)}
            errorId={errorId}
            autoFocus
          />
          <div id={errorId}>
            <LiveMessage>{action.error ? errorMessage(action.error) : null}</LiveMessage>
          </div>
          <div data-slot="actions">
            <DialogClose asChild>
              <Button>{messages.common.cancel}</Button>
            </DialogClose>
            <Button type="submit" variant="primary" pending={action.pending}>
              {action.pending ? m.generating : m.generate}
            </Button>
          </div>
        </form>
      )}
    </DialogShell>
  )
}
