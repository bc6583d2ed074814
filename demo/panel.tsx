import type { ReactNode } from 'react'
import { Button, ResourceStatus, Section, SectionTitle, type Resource } from 'twofold/react'

export interface PanelProps {
  title: string
  description?: ReactNode
  /** What the panel shows (from the kit's `useResource`); the panel renders its states. */
  resource: Resource<unknown>
  /** Shown once the data is there (and kept while it reloads). */
  children?: ReactNode
  className?: string
}

/** A titled section of a page that shows data from the API, with a refresh button. */
export function Panel({ title, description, resource, children, className }: PanelProps) {
  const loading = resource.status === 'loading'
  return (
    <Section
      className={['demo-card', className].filter(Boolean).join(' ')}
      aria-busy={loading || undefined}
      data-state={resource.status}
    >
      <div className="demo-panel-header">
        <SectionTitle>{title}</SectionTitle>
        <Button
          onClick={resource.reload}
          pending={loading}
          aria-label={`Refresh ${title.toLowerCase()}`}
        >
          {loading ? 'Refreshing…' : 'Refresh'}
        </Button>
      </div>
      {description && <p data-slot="description">{description}</p>}
      <ResourceStatus resource={resource} />
      {resource.data !== undefined && children}
    </Section>
  )
}
