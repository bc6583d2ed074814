import { useTwoFactor } from '../provider/provider'
import type { ResourceState } from './hooks'
import { Button, Notice, Spinner } from './parts'

/** The loading spinner (first load only) and the error notice with a retry of a resource. */
export function ResourceStatus<T>({ resource }: { resource: ResourceState<T> & { reload: () => void } }) {
  const { messages, errorMessage } = useTwoFactor()
  if (resource.status === 'loading' && !resource.data) return <Spinner label={messages.common.loading} />
  if (resource.status !== 'error') return null
  return (
    <Notice tone="error">
      {errorMessage(resource.error)}{' '}
      <Button variant="link" onClick={resource.reload}>
        {messages.common.retry}
      </Button>
    </Notice>
  )
}
