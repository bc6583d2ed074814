import { useCallback, useEffect, useRef, useState } from 'react'
import { passkeysSupported } from '../../primitives/passkey'
import { useTwoFactor } from '../../provider/provider'

/** The user closed the step-up dialog without verifying: the action did not run again. */
export class StepUpCancelledError extends Error {
  constructor(cause?: unknown) {
    super('Step-up cancelled', { cause })
    this.name = 'StepUpCancelledError'
  }
}

/** Whether `useStepUp`'s action stopped because the user closed the step-up dialog. */
export function isStepUpCancelled(value: unknown): value is StepUpCancelledError {
  return value instanceof StepUpCancelledError
}

// Whether an action failed because it needs a fresh second factor (any error with that code).
function needsStepUp(caught: unknown): boolean {
  return (caught as { code?: unknown } | null | undefined)?.code === 'STEP_UP_REQUIRED'
}

/**
 * Wraps an action that may need a fresh second factor (a route behind `requireStepUp()`, or
 * removing an authenticator). The returned function runs the action; when it fails with the
 * code `STEP_UP_REQUIRED` (the kit's `ApiError` of a 403, or any error of the app's own with
 * `code: 'STEP_UP_REQUIRED'`), it opens the provider's {@link StepUpDialog} and, once the user
 * verified, runs the action once more and settles with that result. If the user closes the
 * dialog instead, it rejects with a {@link StepUpCancelledError} (`isStepUpCancelled`); any
 * other failure rejects as it came.
 *
 * ```tsx
 * const deleteProject = useStepUp((id: string) => api.deleteProject(id))
 * <button onClick={() => deleteProject(project.id).catch(showUnlessCancelled)}>Delete</button>
 * ```
 */
export function useStepUp<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  const { requestStepUp, setStepUpUntil } = useTwoFactor()
  const actionRef = useRef(action)
  actionRef.current = action

  return useCallback(
    async (...args: A) => {
      try {
        return await actionRef.current(...args)
      } catch (caught) {
        if (!needsStepUp(caught)) throw caught
        setStepUpUntil(0) // whatever this page knew of a window, the server says it is over
        if (!(await requestStepUp())) throw new StepUpCancelledError(caught)
        return actionRef.current(...args)
      }
    },
    [requestStepUp, setStepUpUntil],
  )
}

// Whether the user has a passkey this browser can use, read each time `when` turns true.
export function useHasPasskey(when: boolean): boolean {
  const { client } = useTwoFactor()
  const [has, setHas] = useState(false)
  useEffect(() => {
    if (!when || !passkeysSupported()) return
    let live = true
    client.twoFactor.listAuthenticators().then(
      (list) => live && setHas(list.authenticators.some((each) => each.type === 'passkey')),
      () => undefined,
    )
    return () => void (live = false)
  }, [when, client])
  return has
}
