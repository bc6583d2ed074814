import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { isApiError } from '../../client/api-error'
import type { StepUpResponse } from '../../client/types'
import { DialogClose, DialogShell } from '../../primitives/dialog'
import { formatSeconds } from '../../primitives/format'
import { useCountdown } from '../../primitives/hooks'
import { OtpField } from '../../primitives/otp-field'
import { Button, LiveMessage } from '../../primitives/parts'
import { getPasskey, passkeysSupported } from '../../primitives/passkey'
import { useTwoFactor } from '../../provider/provider'
import { useHasPasskey } from './use-step-up'

export interface StepUpDialogProps {
  /** Controlled open state. */
  open?: boolean
  /**
   * Initial open state when uncontrolled.
   * @default false
   */
  defaultOpen?: boolean
  onOpenChange?: (open: boolean) => void
  /** Runs once the server opened the step-up window (`verifiedUntil`); the dialog then closes. */
  onVerified?: (result: StepUpResponse) => void
  /**
   * Offer the passkey (first, above the code).
   * @default when the browser supports passkeys and the user has one (the list is read on open)
   */
  passkey?: boolean
  /**
   * The dialog's title.
   * @default messages.stepUp.title
   */
  title?: ReactNode
  /**
   * What the check is for.
   * @default messages.stepUp.description
   */
  description?: ReactNode
  /** An element that opens the dialog, e.g. a button. */
  trigger?: ReactNode
  className?: string
}

export type StepUpState = 'idle' | 'verifying' | 'error' | 'locked'

/**
 * Asks for a fresh second factor (`POST /api/two-factor/step-up`): a passkey, or a code from the
 * authenticator app. The session then counts as recently verified for 10 minutes. Focus goes
 * back to the control that opened it. `useStepUp` opens the provider's own one for you.
 */
export function StepUpDialog({
  open,
  defaultOpen = false,
  onOpenChange,
  onVerified,
  passkey,
  title,
  description,
  trigger,
  className,
}: StepUpDialogProps) {
  const { client, messages, errorMessage, setStepUpUntil } = useTwoFactor()
  const m = messages.stepUp
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen)
  const isOpen = open ?? uncontrolledOpen
  const [code, setCode] = useState('')
  const [state, setState] = useState<StepUpState>('idle')
  const [via, setVia] = useState<'code' | 'passkey'>('code')
  const [error, setError] = useState<string | null>(null)
  const lock = useCountdown()
  const inFlight = useRef(false)
  const inputRef = useRef<HTMLInputElement>(null)
  const errorId = useId()
  const hasPasskey = useHasPasskey(isOpen && passkey === undefined)
  const offerPasskey = passkeysSupported() && (passkey ?? hasPasskey)

  const setOpen = (next: boolean) => {
    onOpenChange?.(next)
    if (open === undefined) setUncontrolledOpen(next)
  }

  // Every opening starts afresh.
  useEffect(() => {
    if (!isOpen) return
    setCode('')
    setError(null)
    setState((current) => (current === 'locked' ? current : 'idle'))
  }, [isOpen])

  useEffect(() => {
    if (state === 'locked' && !lock.active) setState('idle')
  }, [state, lock.active])

  const verify = async (how: 'code' | 'passkey', value = '') => {
    if (inFlight.current || state === 'locked') return
    inFlight.current = true
    setVia(how)
    setState('verifying')
    setError(null)
    try {
      const body =
        how === 'code'
          ? { code: value }
          : {
              method: 'passkey' as const,
              credential: await getPasskey((await client.twoFactor.stepUpPasskeyOptions()).options),
            }
      const result = await client.twoFactor.stepUp(body)
      setStepUpUntil(Date.parse(result.verifiedUntil))
      setState('idle')
      onVerified?.(result)
      setOpen(false)
    } catch (caught) {
      const api = isApiError(caught) ? caught : undefined
      if (api?.code === 'TOO_MANY_ATTEMPTS') {
        lock.start(api.retryAfter ?? 60)
        setState('locked')
        return
      }
      const refused = api?.code === 'INVALID_CODE'
      setState('error')
      setError(refused ? (how === 'code' ? m.invalid : m.passkeyInvalid) : errorMessage(caught))
      if (how === 'code' && refused) {
        setCode('')
        inputRef.current?.focus()
      }
    } finally {
      inFlight.current = false
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (code.length === 6) void verify('code', code)
  }

  const locked = state === 'locked'
  const verifying = state === 'verifying'
  const message = locked ? m.locked(formatSeconds(lock.remaining)) : error

  return (
    <DialogShell
      open={isOpen}
      onOpenChange={setOpen}
      trigger={trigger}
      title={title ?? m.title}
      description={description ?? m.description}
      data-slot="step-up-dialog"
      className={className}
    >
      <div data-slot="step-up" data-state={state} data-method={via}>
        {offerPasskey && (
          <div data-slot="step-up-passkey">
            <p data-slot="hint">{m.passkeyHint}</p>
            <Button
              variant="primary"
              autoFocus
              pending={verifying && via === 'passkey'}
              disabled={locked || verifying}
              onClick={() => void verify('passkey')}
            >
              {verifying && via === 'passkey' ? m.waiting : m.usePasskey}
            </Button>
          </div>
        )}
        <form data-slot="step-up-form" onSubmit={submit} noValidate>
          <OtpField
            ref={inputRef}
            label={messages.common.codeLabel}
            hint={offerPasskey ? m.or : messages.common.codeHint}
            value={code}
            onChange={setCode}
            onComplete={(value) => void verify('code', value)}
            disabled={locked}
            invalid={state === 'error' && via === 'code'}
            errorId={errorId}
            autoFocus={!offerPasskey}
          />
          <div id={errorId}>
            <LiveMessage>{message}</LiveMessage>
          </div>
          <div data-slot="actions">
            <DialogClose asChild>
              <Button>{messages.common.cancel}</Button>
            </DialogClose>
            <Button
              type="submit"
              variant={offerPasskey ? 'secondary' : 'primary'}
              pending={verifying && via === 'code'}
              disabled={locked || (verifying && via === 'passkey')}
            >
              {verifying && via === 'code' ? m.verifying : m.submit}
            </Button>
          </div>
        </form>
      </div>
    </DialogShell>
  )
}
