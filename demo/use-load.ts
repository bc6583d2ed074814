import { useCallback, useEffect, useRef, useState } from 'react'

export interface Loaded<T> {
  status: 'loading' | 'ready' | 'error'
  /** The last data loaded; kept while reloading so the page does not jump. */
  data?: T
  error?: unknown
  reload: () => void
}

/** Loads data on mount and whenever `deps` change; answers that arrive out of order are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ status: 'loading' })
  const latest = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(() => {
    const call = ++latest.current
    setState((previous) => ({ status: 'loading', data: previous.data }))
    loadRef.current().then(
      (data) => call === latest.current && setState({ status: 'ready', data }),
      (error: unknown) =>
        call === latest.current &&
        setState((previous) => ({ ...previous, status: 'error', error })),
    )
  }, [])

  useEffect(reload, deps)
  useEffect(() => () => void latest.current++, [])

  return { ...state, reload }
}
