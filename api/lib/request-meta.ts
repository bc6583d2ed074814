import type { Ctx, RequestMeta, WebAuthnSite } from '../context'

/** The last entry of a comma-separated header (the one the nearest proxy wrote), trimmed. */
const lastEntry = (value: string | undefined) => value?.split(',').pop()?.trim() || undefined

/**
 * The client's address (contract, Conventions): on Workers `CF-Connecting-IP`, which Cloudflare
 * sets; behind a proxy the operator trusts, the rightmost `X-Forwarded-For` entry (the one that
 * proxy appended; entries to its left are whatever the client sent); else the socket's peer
 * (Node). A client-sent header is never believed otherwise.
 */
export function clientIp(c: Ctx): string | null {
  const { runtime, trustProxy } = c.var.deps
  if (runtime === 'workers') {
    const cf = c.req.header('cf-connecting-ip')?.trim()
    if (cf) return cf.slice(0, 64)
  }
  if (trustProxy) {
    const forwarded = lastEntry(c.req.header('x-forwarded-for'))
    if (forwarded) return forwarded.slice(0, 64)
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress ?? null
}

export const userAgent = (c: Ctx) => c.req.header('user-agent')?.slice(0, 512) ?? null

/** Whether the browser talks https to us: the public origin, the URL or a trusted proxy says so. */
export const isHttps = (c: Ctx) => {
  const { publicOrigin, trustProxy } = c.var.deps
  if (publicOrigin) return publicOrigin.startsWith('https:')
  return (
    new URL(c.req.url).protocol === 'https:' ||
    (trustProxy && lastEntry(c.req.header('x-forwarded-proto'))?.toLowerCase() === 'https')
  )
}

/**
 * The origins a same-origin browser request may carry: the request URL's own, the one a trusted
 * proxy forwards (X-Forwarded-Proto and X-Forwarded-Host), and the configured public origin.
 */
export function ownOrigins(c: Ctx): string[] {
  const { publicOrigin, trustProxy } = c.var.deps
  const url = new URL(c.req.url)
  const origins = [url.origin]
  if (publicOrigin) origins.push(publicOrigin)
  if (trustProxy) {
    const forwarded = lastEntry(c.req.header('x-forwarded-proto'))?.toLowerCase()
    const proto =
      forwarded === 'http' || forwarded === 'https' ? forwarded : url.protocol.slice(0, -1)
    const host = lastEntry(c.req.header('x-forwarded-host')) ?? url.host
    try {
      origins.push(new URL(`${proto}://${host}`).origin)
    } catch {
      // A malformed forwarded host adds nothing.
    }
  }
  return origins
}

/**
 * The WebAuthn site: the origin is the configured public origin, else the server's own as the
 * browser reaches it (the URL, or what a trusted proxy forwards), never the request's Origin
 * header; the trusted origins too. The RP id is configured, else that origin's host name.
 */
export function webauthnSite(c: Ctx): WebAuthnSite {
  const { publicOrigin, trustProxy, trustedOrigins, rpId } = c.var.deps
  const own = publicOrigin ?? (trustProxy ? ownOrigins(c).at(-1)! : new URL(c.req.url).origin)
  return { rpId: rpId ?? new URL(own).hostname, origins: [own, ...trustedOrigins] }
}

/** What services need to know about the request, read once at the edge. */
export const requestMeta = (c: Ctx): RequestMeta => ({ ip: clientIp(c), userAgent: userAgent(c) })
