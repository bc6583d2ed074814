import type { ComponentProps, ReactNode } from 'react'
import { cn } from './cn'

export interface ButtonProps extends ComponentProps<'button'> {
  /** @default 'secondary' */
  variant?: 'primary' | 'secondary' | 'danger' | 'link'
  /**
   * A request this button started is in flight: the button is disabled, `aria-busy` and
   * `data-state="pending"`.
   * @default false
   */
  pending?: boolean
}

/**
 * A plain `<button type="button">` with the kit's look (`twofold-button`, `data-variant`).
 * `data-slot` is `button` unless given.
 */
export function Button({
  variant = 'secondary',
  pending = false,
  disabled,
  className,
  ...props
}: ButtonProps) {
  return (
    <button
      type="button"
      data-slot="button"
      data-variant={variant}
      data-state={pending ? 'pending' : undefined}
      className={cn('twofold-button', className)}
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      {...props}
    />
  )
}

export interface NoticeProps extends ComponentProps<'div'> {
  /** @default 'info' */
  tone?: 'info' | 'success' | 'warning' | 'error'
}

/** A visible notice; errors are announced at once, others politely. */
export function Notice({ tone = 'info', className, ...props }: NoticeProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-slot="notice"
      data-tone={tone}
      className={className}
      {...props}
    />
  )
}

/**
 * A live region that exists before its message does, so screen readers announce the change.
 * Renders nothing visible while empty.
 */
export function LiveMessage({
  children,
  tone = 'error',
  id,
  'data-slot': slot = 'message',
}: {
  children?: ReactNode
  tone?: NoticeProps['tone']
  id?: string
  /** @default 'message' */
  'data-slot'?: string
}) {
  return (
    <div
      id={id}
      role={tone === 'error' ? 'alert' : 'status'}
      aria-live={tone === 'error' ? 'assertive' : 'polite'}
      aria-atomic="true"
      data-slot={slot}
      data-tone={tone}
      data-state={children ? 'visible' : 'hidden'}
    >
      {children}
    </div>
  )
}

export function Checkbox({
  label,
  className,
  ...props
}: Omit<ComponentProps<'input'>, 'type'> & { label: ReactNode }) {
  return (
    <label data-slot="checkbox" className={className}>
      <input type="checkbox" {...props} />
      <span>{label}</span>
    </label>
  )
}

export function Spinner({ label }: { label: string }) {
  return (
    <p role="status" data-slot="loading">
      <span data-slot="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}
