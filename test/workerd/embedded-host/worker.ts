/**
 * A host Worker: the example app (examples/hono-existing-app) on a D1 binding, Twofold embedded
 * in it. `/api/health` answers for startDevWorker.
 */
import { createHostApp } from '../../../examples/hono-existing-app/server/host'
import type { ExecutionContext } from 'hono'
import type { D1Binding } from '../../../api/server'

interface Env {
  DB: D1Binding
  TWOFOLD_SECRET: string
}

let app: ReturnType<typeof createHostApp> | undefined

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === '/api/health') return Response.json({ ok: true })
    // The D1 binding serves every request; the app is made once per isolate.
    app ??= createHostApp({ db: env.DB, secret: env.TWOFOLD_SECRET, runtime: 'workers' })
    return app.fetch(request, env, ctx)
  },
}
