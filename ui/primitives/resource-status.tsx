import { useTwoFactor } from '../provider/provider'
import type { Resource } from './hooks'
import { Button, Notice, Spinner } from './parts'

export interface ResourceStatusProps {
  /** What {@link useResource} returned. */
  resource: Pick<Resource<unknown>, 'status' | 'data' | 'error' | 'reload'>
}

/**
 * The state of a {@link useResource} load: a spinner on the first load (a reload keeps showing
 * the data), and on failure the error, announced, with a retry button. Nothing once loaded.
 */
export function ResourceStatus({ resource }: ResourceStatusProps) {
  const { messages, errorMessage } = useTwoFactor()
  if (resource.status === 'loading' && resource.data === undefined) {
    return <Spinner label={messages.common.loading} />
  }
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
