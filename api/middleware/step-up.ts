import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'
import { HttpError } from '../lib/errors'
import { requireSteppedUp } from '../services/step-up.service'

/**
 * For sensitive actions: 401 without a session, 403 `STEP_UP_REQUIRED` unless this session
 * verified its second factor (POST /api/two-factor/step-up) within the last 10 minutes. Use it
 * after the session is loaded, on Twofold's routes or the host app's own.
 */
export const requireStepUp = () =>
  createMiddleware<AppEnv>(async function requireStepUp(c, next) {
    const auth = c.var.auth
    if (!auth) throw new HttpError(401, 'UNAUTHORIZED')
    await requireSteppedUp(c.var.deps, auth)
    await next()
  })
