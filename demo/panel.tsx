import { useId, type ReactNode } from 'react'
import { useTwoFactor } from 'twofold/react'
import type { Loaded } from './use-load'

export interface PanelProps {
  title: string
  description?: ReactNode
  /** What the panel shows; its loading and error states are rendered by the panel. */
  resource: Loaded<unknown>
  children?: ReactNode
  className?: string
}

/** A titled section of a page that shows data from the API, with a refresh button. */
export function Panel({ title, description, resource, children, className }: PanelProps) {
  const { errorMessage } = useTwoFactor()
  const titleId = useId()
  const loading = resource.status === 'loading'
  return (
    <section
      className={['twofold-root demo-card', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      aria-busy={loading || undefined}
      data-state={resource.status}
    >
      <div className="demo-panel-header">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="twofold-button"
          data-variant="secondary"
          onClick={resource.reload}
          disabled={loading}
          aria-label={`Refresh ${title.toLowerCase()}`}
        >
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {description && <p data-slot="description">{description}</p>}
      {resource.status === 'error' && (
        <div role="alert" data-slot="notice" data-tone="error">
          {errorMessage(resource.error)}
        </div>
      )}
      {resource.data === undefined && loading ? (
        <p role="status" data-slot="loading">
          Loading…
        </p>
      ) : (
        children
      )}
    </section>
  )
}
