import type { Ctx } from '../context'
import { describeError } from './log'

/**
 * Runs work the response must not wait for (mail). At the edge it is handed to `waitUntil`; on
 * Node it simply runs on. Failures are logged, never thrown at the request.
 */
export function runInBackground(c: Ctx, task: () => Promise<unknown>): void {
  const { pending } = c.var.deps
  const promise = Promise.resolve()
    .then(task)
    .catch((error) => console.error('[twofold] background task failed:', describeError(error)))
    .finally(() => pending.delete(promise))
  pending.add(promise)
  try {
    c.executionCtx.waitUntil(promise)
  } catch {
    // No execution context outside Workers.
  }
}
