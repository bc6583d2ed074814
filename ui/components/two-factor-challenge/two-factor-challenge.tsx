import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { Challenge, TwoFactorSignInResponse } from '../../client/types'
import { cn } from '../../primitives/cn'
import { Field } from '../../primitives/field'
import { formatSeconds } from '../../primitives/format'
import { OtpField } from '../../primitives/otp-field'
import { Button, Checkbox, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { useChallenge } from './use-challenge'

export interface TwoFactorChallengeProps {
  /** The `challenge` of a `two_factor_required` sign-in answer. */
  challenge: Challenge
  /**
   * Runs with the authenticated answer (`user`, `session`, `method`) once a code is accepted;
   * the same callback as `SignInForm`'s.
   */
  onSignedIn?: (result: TwoFactorSignInResponse) => void
  /** Runs when the challenge is unknown, used up or expired: the user must sign in again. */
  onExpired?: () => void
  /** The account signing in, shown above the code so the user knows which one it is. */
  email?: string
  /** Back to the password step: shows a "Use another account" button when given. */
  onCancel?: () => void
  className?: string
}

/**
 * The second sign-in step: a passkey (offered first when the challenge's `methods` include
 * `passkey` and the browser supports it), a 6-digit code, a backup code or an emailed code.
 */
export function TwoFactorChallenge({
  challenge,
  onSignedIn,
  onExpired,
  email,
  onCancel,
  className,
}: TwoFactorChallengeProps) {
  const { messages } = useTwoFactor()
  const m = messages.challenge
  const state = useChallenge({ challenge, onSignedIn, onExpired })
  const { mode, status } = state
  const [code, setCode] = useState('')
  const [backupCode, setBackupCode] = useState('')
  const inputRef = useRef<HTMLInputElement>(null)
  const passkeyRef = useRef<HTMLDivElement>(null)
  const errorId = useId()
  const locked = status === 'locked'
  const pending = status === 'pending'

  // A rejected code is cleared, and the field (or the passkey button) takes focus again.
  useEffect(() => {
    if (status !== 'error' && status !== 'idle') return
    setCode('')
    setBackupCode('')
    inputRef.current?.focus()
    passkeyRef.current?.querySelector('button')?.focus()
  }, [status, mode])

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void state.submit(mode === 'backup' ? backupCode : code)
  }

  return (
    <div
      data-slot="two-factor-challenge"
      data-state={status}
      data-method={mode}
      className={cn('twofold-root', className)}
    >
      <h2 data-slot="title">{m.title}</h2>
      {email && (
        <p data-slot="account">
          {m.signingInAs} <strong data-slot="account-email">{email}</strong>
        </p>
      )}
      <form data-slot="challenge-form" onSubmit={onSubmit} noValidate>
        {mode === 'passkey' ? (
          <div data-slot="challenge-passkey" ref={passkeyRef}>
            <p data-slot="hint">{m.passkeyHint}</p>
            <Button
              type="submit"
              variant="primary"
              autoFocus
              pending={pending}
              disabled={locked}
              aria-describedby={errorId}
            >
              {pending ? m.passkeyWaiting : status === 'error' ? m.passkeyRetry : m.usePasskey}
            </Button>
          </div>
        ) : mode === 'backup' ? (
          <Field label={m.backupLabel} hint={m.backupHint}>
            <input
              ref={inputRef}
              data-slot="input"
              name="backupCode"
              type="text"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              placeholder={m.backupPlaceholder}
              maxLength={32}
              autoFocus
              disabled={locked}
              value={backupCode}
              onChange={(event) => setBackupCode(event.target.value)}
              aria-invalid={status === 'error' || undefined}
              aria-describedby={errorId}
            />
          </Field>
        ) : (
          <OtpField
            ref={inputRef}
            label={messages.common.codeLabel}
            hint={mode === 'email' && state.sentTo ? m.emailHint(state.sentTo) : m.totpHint}
            value={code}
            onChange={setCode}
            onComplete={(value) => void state.submit(value)}
            disabled={locked}
            invalid={status === 'error'}
            errorId={errorId}
            autoFocus
          />
        )}
        <Checkbox
          label={m.remember}
          checked={state.remember}
          onChange={(event) => state.setRemember(event.target.checked)}
        />
        <div id={errorId}>
          <LiveMessage>{state.message}</LiveMessage>
        </div>
        {mode !== 'passkey' && (
          <Button type="submit" variant="primary" pending={pending} disabled={locked}>
            {pending ? m.verifying : m.submit}
          </Button>
        )}
      </form>
      <div data-slot="alternatives">
        {state.canPasskey && mode !== 'passkey' ? (
          <Button variant="link" onClick={() => state.switchMode('passkey')}>
            {m.usePasskeyInstead}
          </Button>
        ) : null}
        {mode !== 'backup' ? (
          <Button variant="link" onClick={() => state.switchMode('backup')}>
            {m.useBackup}
          </Button>
        ) : null}
        {mode !== 'totp' ? (
          <Button variant="link" onClick={() => state.switchMode('totp')}>
            {mode === 'passkey' ? m.useCode : m.useApp}
          </Button>
        ) : null}
        {state.canEmail && (
          <Button
            variant="link"
            onClick={() => void state.sendEmail()}
            pending={state.emailPending}
            disabled={state.resendIn > 0}
          >
            {state.emailPending
              ? m.sending
              : state.resendIn > 0
                ? m.resendIn(formatSeconds(state.resendIn))
                : state.sentTo
                  ? m.resend
                  : m.useEmail}
          </Button>
        )}
        {onCancel && (
          <Button variant="link" data-slot="other-account" onClick={onCancel}>
            {m.otherAccount}
          </Button>
        )}
      </div>
    </div>
  )
}
