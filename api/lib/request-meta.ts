import type { Ctx, RequestMeta } from '../context'

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

/** Eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const v4 = text.match(/^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/)
  if (v4) {
    const bytes = v4.slice(2).map(Number)
    if (bytes.some((b) => b > 255)) return null
    text = `${v4[1]}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return null
  const parse = (part: string) => (part === '' ? [] : part.split(':'))
  const head = parse(halves[0]!)
  const tail = halves.length === 2 ? parse(halves[1]!) : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  const groups = [...head, ...Array(missing).fill('0'), ...tail]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null
  return groups.map((g) => parseInt(g, 16))
}

/**
 * The bucket an address is counted in by per-IP limits: an IPv4 address as is, an IPv4-mapped
 * IPv6 address as its IPv4, any other IPv6 address by its /64 (one subscriber usually holds a
 * whole /64). Anything else is kept as given. The audit log keeps the full address.
 */
export function ipBucket(ip: string | null): string | null {
  if (ip === null || !ip.includes(':')) return ip
  const groups = ipv6Groups(ip)
  if (!groups) return ip
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`
}

export const userAgent = (c: Ctx) => c.req.header('user-agent')?.slice(0, 512) ?? null

/** Whether the browser talks https to us: the public origin, the URL, or a trusted proxy says so. */
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
    const proto = forwarded === 'http' || forwarded === 'https' ? forwarded : url.protocol.slice(0, -1)
    const host = lastEntry(c.req.header('x-forwarded-host')) ?? url.host
    try {
      origins.push(new URL(`${proto}://${host}`).origin)
    } catch {
      // A malformed forwarded host adds nothing.
    }
  }
  return origins
}

/** What services need to know about the request, read once at the edge. */
export const requestMeta = (c: Ctx): RequestMeta => ({ ip: clientIp(c), userAgent: userAgent(c) })
