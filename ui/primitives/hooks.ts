import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * Data loaded from the API. `data` is the last data loaded: kept while reloading and after a
 * failed reload, so a page does not jump.
 */
export type ResourceState<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: unknown }

/** A {@link ResourceState} with `reload`, as {@link useResource} returns it. */
export type Resource<T> = ResourceState<T> & {
  /** Loads again (the state goes back to `loading`, keeping `data`). */
  reload: () => void
}

/**
 * Loads data on mount and whenever `deps` change (like `useEffect`'s); `reload` loads again.
 * Answers that arrive after a newer load started, or after unmount, are dropped.
 *
 * ```tsx
 * const { client } = useTwoFactor()
 * const events = useResource(() => client.twoFactor.listEvents(), [client])
 * ```
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' })
  const generation = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(() => {
    const current = ++generation.current
    setState((previous) => ({ status: 'loading', data: previous.data }))
    loadRef.current().then(
      (data) => current === generation.current && setState({ status: 'ready', data }),
      (error: unknown) =>
        current === generation.current &&
        setState((previous) => ({ status: 'error', data: previous.data, error })),
    )
  }, [])

  useEffect(reload, deps)
  useEffect(() => () => void generation.current++, [])

  return { ...state, reload }
}

/** Seconds left until a deadline set with `start(seconds)`, ticking once a second. */
export function useCountdown() {
  const [deadline, setDeadline] = useState<number | null>(null)
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    if (deadline === null) return
    const timer = setInterval(() => {
      const time = Date.now()
      setNow(time)
      if (time >= deadline) setDeadline(null)
    }, 250)
    return () => clearInterval(timer)
  }, [deadline])

  const start = useCallback((seconds: number) => {
    const time = Date.now()
    setNow(time)
    setDeadline(time + seconds * 1000)
  }, [])

  const remaining = deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000))
  return { remaining, active: remaining > 0, start }
}

export type ActionResult<R> = { ok: true; value: R } | { ok: false; error: unknown }

/** Runs an async action, tracking whether it is pending and what it failed with. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const actionRef = useRef(action)
  actionRef.current = action

  const run = useCallback(async (...args: A): Promise<ActionResult<R>> => {
    setPending(true)
    setError(null)
    try {
      return { ok: true, value: await actionRef.current(...args) }
    } catch (caught) {
      setError(caught)
      return { ok: false, error: caught }
    } finally {
      setPending(false)
    }
  }, [])

  return { run, pending, error, setError }
}

/** `value`, once it has stopped changing for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay)
    return () => clearTimeout(timer)
  }, [value, delay])
  return settled
}
