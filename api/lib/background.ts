import { describeError } from './log'

/**
 * Work the response must not wait for (mail). At the edge each task is handed to the request's
 * `waitUntil`; on Node nothing keeps it alive, so the app keeps the tasks in flight and a host
 * (the tests, the bench) can await them before reading the outbox or stopping the process.
 * Failures are logged, never thrown at the request.
 */
export function createBackground() {
  const inFlight = new Set<Promise<unknown>>()
  return {
    run(task: () => Promise<unknown>, waitUntil?: (promise: Promise<unknown>) => void): void {
      const promise = Promise.resolve()
        .then(task)
        .catch((error) => console.error('[twofold] background task failed:', describeError(error)))
        .finally(() => inFlight.delete(promise))
      // A Worker keeps no promise across requests: the request's waitUntil holds it instead.
      if (waitUntil) return waitUntil(promise)
      inFlight.add(promise)
    },
    /** How many tasks are still running. */
    get size() {
      return inFlight.size
    },
    /** Resolves once the tasks running now have finished. */
    settled: () => Promise.all([...inFlight]).then(() => undefined),
  }
}

export type Background = ReturnType<typeof createBackground>
