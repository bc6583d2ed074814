import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react'
import { cn } from './cn'
import { LiveMessage } from './parts'

/** What {@link Field} sets on its control. */
interface ControlProps {
  id?: string
  'aria-describedby'?: string
  'aria-invalid'?: boolean | 'true' | 'false'
}

export interface FieldProps {
  /** The visible label, tied to the control with `htmlFor`. */
  label: ReactNode
  /** A line under the label; the control is described by it. */
  hint?: ReactNode
  /**
   * What is wrong with the value. The control is `aria-invalid` and described by it, and the
   * message is announced when it appears (its live region exists before it does).
   */
  error?: ReactNode
  /**
   * One control: an `<input>`, `<select>` or `<textarea>` (or a component that passes `id` and
   * the `aria-*` props to one). Its own `id` and `aria-describedby` are kept.
   */
  children: ReactElement<ControlProps>
  className?: string
}

/**
 * A labelled form control: label, optional hint, the control, and its error message, with the
 * ids wired up (`htmlFor`, `aria-describedby`, `aria-invalid`).
 *
 * ```tsx
 * <Field label="Email" error={emailError}>
 *   <input type="email" name="email" autoComplete="email" />
 * </Field>
 * ```
 */
export function Field({ label, hint, error, children, className }: FieldProps) {
  const generated = useId()
  if (!isValidElement(children)) throw new Error('<Field> needs one control element.')
  const own = children.props
  const id = own.id ?? generated
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const invalid = Boolean(error)
  return (
    <div data-slot="field" data-state={invalid ? 'invalid' : 'valid'} className={className}>
      <label data-slot="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p data-slot="hint" id={hintId}>
          {hint}
        </p>
      )}
      {cloneElement(children, {
        id,
        'aria-describedby': cn(
          hint ? hintId : undefined,
          own['aria-describedby'],
          invalid && errorId,
        ),
        'aria-invalid': invalid || own['aria-invalid'] || undefined,
      })}
      <LiveMessage id={errorId} data-slot="field-error">
        {error}
      </LiveMessage>
    </div>
  )
}
