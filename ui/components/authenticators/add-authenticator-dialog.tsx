import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../../client/api-error'
import type { Authenticator, AuthenticatorType, PendingAuthenticator } from '../../client/types'
import { DialogClose, DialogShell } from '../../primitives/dialog'
import { Field } from '../../primitives/field'
import { useAction } from '../../primitives/hooks'
import { Button, LiveMessage } from '../../primitives/parts'
import { createPasskey } from '../../primitives/passkey'
import { useTwoFactor } from '../../provider/provider'
import { ConfirmStep, ScanStep } from '../two-factor-setup-dialog/setup-steps'

export interface AddAuthenticatorDialogProps {
  /** What to add; null: the dialog is closed. */
  type: AuthenticatorType | null
  onClose: () => void
  onAdded: (authenticator: Authenticator) => void
}

type Step = 'name' | 'scan' | 'confirm'

/**
 * Adds an authenticator app (name, QR code, confirming code) or a passkey (name, then the
 * browser's prompt) to a user who has 2FA on.
 */
export function AddAuthenticatorDialog({ type, onClose, onAdded }: AddAuthenticatorDialogProps) {
  const { client, messages, errorMessage } = useTwoFactor()
  const m = messages.authenticators
  const isPasskey = type === 'passkey'
  const [step, setStep] = useState<Step>('name')
  const [name, setName] = useState('')
  const [invalid, setInvalid] = useState(false)
  const [pending, setPending] = useState<PendingAuthenticator | null>(null)
  const [rejections, setRejections] = useState(0)

  const create = useAction(async (chosen: string) => {
    if (type === 'totp') return client.twoFactor.addAuthenticator({ type: 'totp', name: chosen })
    const { options } = await client.twoFactor.passkeyOptions()
    const credential = await createPasskey(options)
    return client.twoFactor.registerPasskey({ name: chosen, credential })
  })
  const confirm = useAction((code: string) =>
    client.twoFactor.verifyAuthenticator(pending!.id, { code }),
  )
  const { setError: clearCreate } = create
  const { setError: clearConfirm } = confirm

  useEffect(() => {
    if (!type) return
    setStep('name')
    setName(type === 'passkey' ? m.defaultPasskeyName : m.defaultAppName)
    setInvalid(false)
    setPending(null)
    clearCreate(null)
    clearConfirm(null)
  }, [type, m, clearCreate, clearConfirm])

  const submitName = async (event: FormEvent) => {
    event.preventDefault()
    const chosen = name.trim()
    if (chosen.length < 1 || chosen.length > 64) return setInvalid(true)
    setInvalid(false)
    const result = await create.run(chosen)
    if (!result.ok) return
    if ('authenticator' in result.value) {
      onAdded(result.value.authenticator)
      onClose()
    } else {
      setPending(result.value)
      setStep('scan')
    }
  }

  const verify = async (code: string) => {
    if (confirm.pending) return
    const result = await confirm.run(code)
    if (result.ok) {
      onAdded(result.value.authenticator)
      onClose()
    } else if (isApiError(result.error) && result.error.code === 'INVALID_CODE') {
      setRejections((n) => n + 1)
    }
  }

  const description = isPasskey
    ? m.addPasskeyDescription
    : step === 'scan'
      ? messages.setup.scanDescription
      : step === 'confirm'
        ? messages.setup.confirmDescription
        : messages.setup.introBody

  return (
    <DialogShell
      open={type !== null}
      onOpenChange={(next) => !next && onClose()}
      title={isPasskey ? m.addPasskeyTitle : m.addAppTitle}
      description={description}
      data-slot="add-authenticator-dialog"
    >
      <div data-slot="setup-step" data-step={step} data-type={type ?? undefined}>
        {step === 'name' && (
          <form data-slot="name-form" onSubmit={submitName} noValidate>
            <Field label={m.nameField} error={invalid ? m.nameInvalid : null}>
              <input
                data-slot="input"
                name="name"
                type="text"
                autoComplete="off"
                maxLength={64}
                autoFocus
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </Field>
            <LiveMessage>{create.error ? errorMessage(create.error) : null}</LiveMessage>
            <div data-slot="actions">
              <DialogClose asChild>
                <Button>{messages.common.cancel}</Button>
              </DialogClose>
              <Button type="submit" variant="primary" pending={create.pending}>
                {create.pending && isPasskey ? m.creating : m.create}
              </Button>
            </div>
          </form>
        )}
        {step === 'scan' && pending && (
          <ScanStep setup={pending} onContinue={() => setStep('confirm')} />
        )}
        {step === 'confirm' && (
          <ConfirmStep
            pending={confirm.pending}
            error={confirm.error ? errorMessage(confirm.error) : null}
            rejections={rejections}
            onVerify={(code) => void verify(code)}
            onBack={() => setStep('scan')}
          />
        )}
      </div>
    </DialogShell>
  )
}
