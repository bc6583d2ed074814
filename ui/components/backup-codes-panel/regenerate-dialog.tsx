import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { isApiError } from '../../client/api-error'
import type { CodeBody } from '../../client/types'
import { CodeSheet } from '../../primitives/code-sheet'
import { DialogClose, DialogShell } from '../../primitives/dialog'
import { useAction } from '../../primitives/hooks'
import { OtpField } from '../../primitives/otp-field'
import { Button, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { useHasPasskey, useStepUp } from '../step-up/use-step-up'

export interface RegenerateDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Runs with the new codes once the server issued them. */
  onRegenerated?: (codes: string[]) => void
}

// A TOTP code, a passkey or (in a known step-up window) nothing; then the new codes, shown once.
export function RegenerateDialog({ open, onOpenChange, onRegenerated }: RegenerateDialogProps) {
  const { client, messages, errorMessage, stepUpUntil } = useTwoFactor()
  const m = messages.backupCodes
  const [code, setCode] = useState('')
  const [codes, setCodes] = useState<string[] | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const errorId = useId()
  // No code: the step-up window, or the StepUpDialog as the fallback (see DisableDialog for why).
  const action = useAction(
    useStepUp((body?: CodeBody) => client.twoFactor.regenerateBackupCodes(body)),
  )
  const recent = stepUpUntil > Date.now()
  const passkey = useHasPasskey(open && !recent)
  const { setError } = action

  useEffect(() => {
    if (!open) return
    setCode('')
    setCodes(null)
    setError(null)
  }, [open, setError])

  const generate = async (body?: CodeBody) => {
    if (action.pending || (body && body.code.length !== 6)) return
    const result = await action.run(body)
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
    void generate(recent ? undefined : { code })
  }

  return (
    <DialogShell
      open={open}
      onOpenChange={onOpenChange}
      title={m.regenerateTitle}
      description={
        codes
          ? m.newCodesDescription
          : recent
            ? m.regenerateRecentDescription
            : m.regenerateDescription
      }
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
          {!recent && passkey && (
            <div data-slot="step-up-passkey">
              <Button variant="primary" autoFocus onClick={() => void generate()}>
                {messages.stepUp.usePasskey}
              </Button>
            </div>
          )}
          {!recent && (
            <OtpField
              ref={inputRef}
              label={messages.common.codeLabel}
              hint={passkey ? messages.stepUp.or : messages.common.codeHint}
              value={code}
              onChange={setCode}
              onComplete={(value) => void generate({ code: value })}
              invalid={isApiError(action.error)}
              errorId={errorId}
              autoFocus={!passkey}
            />
          )}
          <div id={errorId}>
            <LiveMessage>{action.error ? errorMessage(action.error) : null}</LiveMessage>
          </div>
          <div data-slot="actions">
            <DialogClose asChild>
              <Button>{messages.common.cancel}</Button>
            </DialogClose>
            <Button
              type="submit"
              variant={passkey && !recent ? 'secondary' : 'primary'}
              autoFocus={recent}
              pending={action.pending}
            >
              {action.pending ? m.generating : m.generate}
            </Button>
          </div>
        </form>
      )}
    </DialogShell>
  )
}
