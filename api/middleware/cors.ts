import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'

/**
 * CORS for the origins in `trustedOrigins` (TWOFOLD_TRUSTED_ORIGINS) and for them only:
 * preflights are answered, credentials (cookies) allowed, and every answer, errors included,
 * carries the headers so the page can read the error shape. Other origins get no CORS header
 * at all (the browser then hides the answer); the CSRF check still refuses their writes.
 */
export const trustedCors = () => {
  const allow = cors({
    origin: (origin) => origin,
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Accept', 'Authorization', 'Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  })
  return createMiddleware<AppEnv>(async function trustedCors(c, next) {
    const origin = c.req.header('origin')
    if (origin && c.var.deps.trustedOrigins.includes(origin)) return allow(c, next)
    await next()
    // The answer depends on the Origin header: caches must not hand one origin's to another.
    // Appended to the answer's own headers: `c.header` on a finished answer would rebuild it
    // (on Node, turning @hono/node-server's lightweight answer into a full Response and stream).
    c.res.headers.append('Vary', 'Origin')
  })
}
