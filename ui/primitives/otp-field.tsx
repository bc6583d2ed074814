import { getNonce } from 'get-nonce'
import { OTPInput, REGEXP_ONLY_DIGITS } from 'input-otp'
import { forwardRef, useId, type ReactNode } from 'react'
import { cn } from './cn'

export interface OtpFieldProps {
  /** The visible label of the code's input. */
  label: ReactNode
  /** A line under the label, e.g. where the code comes from; it describes the input. */
  hint?: ReactNode
  /** The digits typed so far (controlled). */
  value: string
  onChange: (value: string) => void
  /** Runs once all six digits are in, typed or pasted. */
  onComplete?: (code: string) => void
  disabled?: boolean
  /** Marks the input `aria-invalid` (a refused code). */
  invalid?: boolean
  autoFocus?: boolean
  /** id of an element describing the current error, if any (a live region). */
  errorId?: string
  className?: string
}

export const CODE_LENGTH = 6

/**
 * One real `<input>` for a 6-digit code, drawn as six slots (input-otp): numeric keyboard,
 * `autoComplete="one-time-code"`, pasting `123 456` or `123-456` works. The ref is the input.
 */
export const OtpField = forwardRef<HTMLInputElement, OtpFieldProps>(function OtpField(
  { label, hint, value, onChange, onComplete, disabled, invalid, autoFocus, errorId, className },
  ref,
) {
  const id = useId()
  const hintId = `${id}-hint`
  return (
    <div data-slot="otp-field" data-state={invalid ? 'invalid' : 'valid'} className={className}>
      <label data-slot="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p data-slot="hint" id={hintId}>
          {hint}
        </p>
      )}
      <OTPInput
        ref={ref}
        id={id}
        name="code"
        value={value}
        onChange={onChange}
        onComplete={onComplete}
        maxLength={CODE_LENGTH}
        pattern={REGEXP_ONLY_DIGITS}
        pasteTransformer={(pasted) => pasted.replace(/[\s-]/g, '')}
        autoComplete="one-time-code"
        inputMode="numeric"
        autoFocus={autoFocus}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={cn(hint ? hintId : undefined, errorId)}
        pushPasswordManagerStrategy="none"
        // A host page with a nonce-based CSP sets it once with get-nonce's setNonce, as for Radix.
        nonce={getNonce()}
        containerClassName="twofold-otp"
        render={({ slots }) => (
          <div data-slot="otp-slots" aria-hidden="true">
            {slots.map((slot, index) => (
              <div
                key={index}
                data-slot="otp-slot"
                data-state={slot.isActive ? 'active' : slot.char ? 'filled' : 'empty'}
              >
                {slot.char}
                {slot.hasFakeCaret && <span data-slot="otp-caret" />}
              </div>
            ))}
          </div>
        )}
      />
    </div>
  )
})
