import type { Ctx } from '../context'

/**
 * The client's address: Cloudflare's header at the edge, X-Forwarded-For only behind a proxy
 * the operator trusts, else the socket's peer (Node).
 */
export function clientIp(c: Ctx): string | null {
  const cf = c.req.header('cf-connecting-ip')
  if (cf) return cf.slice(0, 64)
  if (c.var.deps.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded.slice(0, 64)
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress ?? null
}

export const userAgent = (c: Ctx) => c.req.header('user-agent')?.slice(0, 512) ?? null

export const isHttps = (c: Ctx) =>
  new URL(c.req.url).protocol === 'https:' ||
  (c.var.deps.trustProxy && c.req.header('x-forwarded-proto') === 'https')

export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString()
