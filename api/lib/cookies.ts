/**
 * The session and trusted-device cookies. On https they are `__Host-` prefixed (Secure, Path=/,
 * no Domain), which a sibling subdomain or a plain-http page cannot set, and only the prefixed
 * name is read there. A cookie name sent more than once is ambiguous (one of them may have been
 * planted with another Domain or Path) and is treated as absent.
 */
import { setCookie } from 'hono/cookie'
import type { Ctx } from '../context'
import { isHttps } from './request-meta'

const MAX_VALUE = 256

/** The name this request's scheme uses: `__Host-<base>` on https, `<base>` otherwise. */
export const cookieName = (c: Ctx, base: string) => (isHttps(c) ? `__Host-${base}` : base)

/** The cookie's value when the request carries it exactly once (and at most 256 characters). */
export function readCookie(c: Ctx, base: string): string | null {
  const name = cookieName(c, base)
  const values: string[] = []
  for (const pair of (c.req.header('cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue
    values.push(pair.slice(eq + 1).trim())
  }
  if (values.length !== 1) return null
  let value = values[0]!
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
  try {
    value = decodeURIComponent(value)
  } catch {
    return null
  }
  return value && value.length <= MAX_VALUE ? value : null
}

/** Sets an HttpOnly, SameSite=Lax cookie for the whole host (Secure and prefixed on https). */
export function writeCookie(c: Ctx, base: string, value: string, expires: Date) {
  const secure = isHttps(c)
  setCookie(c, secure ? `__Host-${base}` : base, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    expires,
  })
}

/** Tells the browser to drop the cookie (with the attributes it was set with). */
export function clearCookie(c: Ctx, base: string) {
  const secure = isHttps(c)
  setCookie(c, secure ? `__Host-${base}` : base, '', {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: 0,
    expires: new Date(0),
  })
}

/** The session cookie's name; `__Host-twofold_session` on https. */
export const SESSION_COOKIE = 'twofold_session'
/** The trusted-device cookie's name; `__Host-twofold_device` on https. */
export const DEVICE_COOKIE = 'twofold_device'

/** Sets a token a service issued (a session, a trusted device) as its cookie. */
export const setTokenCookie = (
  c: Ctx,
  base: string,
  issued: { token: string; expiresAt: number },
) => writeCookie(c, base, issued.token, new Date(issued.expiresAt))
