import type { ComponentProps, ReactNode } from 'react'
import { cn } from './hooks'

export interface ButtonProps extends ComponentProps<'button'> {
  /** @default 'secondary' */
  variant?: 'primary' | 'secondary' | 'danger' | 'link'
  slot?: string
}

/** A plain `<button type="button">` carrying the kit's data attributes. */
export function Button({ variant = 'secondary', slot, className, ...props }: ButtonProps) {
  return (
    <button
      type="button"
      data-slot={slot ?? 'button'}
      data-variant={variant}
      className={cn('twofold-button', className)}
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
  slot = 'message',
}: {
  children?: ReactNode
  tone?: NoticeProps['tone']
  slot?: string
}) {
  return (
    <div
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
