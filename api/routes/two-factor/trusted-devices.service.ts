/**
 * "Remember this device for 30 days": a random token in an HttpOnly cookie, stored hashed,
 * rotated on every use, tied to one user.
 */
import { and, count, desc, eq, gt } from 'drizzle-orm'
import { UAParser } from 'ua-parser-js'
import type { Ctx } from '../../context'
import { trustedDevices } from '../../db/schema'
import { newId, randomToken, sha256Hex } from '../../lib/crypto'
import { readCookie, writeCookie } from '../../lib/cookies'
import { iso, userAgent } from '../../lib/request-meta'

/** The trusted-device cookie's name; `__Host-twofold_device` on https (see lib/cookies). */
export const DEVICE_COOKIE = 'twofold_device'

/** "Chrome on macOS", from the user agent; "Unknown device" when it says nothing useful. */
export function deviceLabel(ua: string | null): string {
  if (!ua) return 'Unknown device'
  const { browser, os } = new UAParser(ua).getResult()
  const osName = os.name === 'Mac OS' ? 'macOS' : os.name
  if (browser.name && osName) return `${browser.name} on ${osName}`
  return browser.name ?? osName ?? 'Unknown device'
}

function setDeviceCookie(c: Ctx, token: string, expiresAt: number) {
  writeCookie(c, DEVICE_COOKIE, token, new Date(expiresAt))
}

/** The device token, when the request carries the cookie exactly once. */
const cookieToken = (c: Ctx) => readCookie(c, DEVICE_COOKIE)

export async function rememberDevice(c: Ctx, userId: string) {
  const { db, now, limits } = c.var.deps
  const token = randomToken()
  const createdAt = now()
  const expiresAt = createdAt + limits.trustedDeviceTtlSeconds * 1000
  const ua = userAgent(c)
  const label = deviceLabel(ua)
  await db.insert(trustedDevices).values({
    id: newId('dev'),
    userId,
    tokenHash: await sha256Hex(token),
    label,
    userAgent: ua,
    createdAt,
    lastUsedAt: createdAt,
    expiresAt,
  })
  setDeviceCookie(c, token, expiresAt)
  return { label }
}

/**
 * If the request carries this user's live device cookie, rotates its token (one conditional
 * statement, so a copied cookie works at most once more) and returns true.
 */
export async function useTrustedDevice(c: Ctx, userId: string): Promise<boolean> {
  const token = cookieToken(c)
  if (!token) return false
  const { db, now } = c.var.deps
  const fresh = randomToken()
  const rotated = await db
    .update(trustedDevices)
    .set({ tokenHash: await sha256Hex(fresh), lastUsedAt: now() })
    .where(
      and(
        eq(trustedDevices.tokenHash, await sha256Hex(token)),
        eq(trustedDevices.userId, userId),
        gt(trustedDevices.expiresAt, now()),
      ),
    )
    .returning({ expiresAt: trustedDevices.expiresAt })
  if (rotated.length === 0) return false
  setDeviceCookie(c, fresh, rotated[0]!.expiresAt)
  return true
}

export async function listDevices(c: Ctx, userId: string) {
  const { db, now } = c.var.deps
  const token = cookieToken(c)
  const currentHash = token ? await sha256Hex(token) : null
  const rows = await db
    .select()
    .from(trustedDevices)
    .where(and(eq(trustedDevices.userId, userId), gt(trustedDevices.expiresAt, now())))
    .orderBy(desc(trustedDevices.lastUsedAt))
  return rows.map((d) => ({
    id: d.id,
    label: d.label,
    userAgent: d.userAgent,
    createdAt: iso(d.createdAt)!,
    lastUsedAt: iso(d.lastUsedAt),
    expiresAt: iso(d.expiresAt)!,
    current: d.tokenHash === currentHash,
  }))
}

export async function countDevices(c: Ctx, userId: string) {
  const { db, now } = c.var.deps
  const [row] = await db
    .select({ n: count() })
    .from(trustedDevices)
    .where(and(eq(trustedDevices.userId, userId), gt(trustedDevices.expiresAt, now())))
  return row?.n ?? 0
}

/** Revokes one device (or all, without `id`); returns how many went. */
export async function revokeDevices(c: Ctx, userId: string, id?: string) {
  const { db } = c.var.deps
  const where = id
    ? and(eq(trustedDevices.userId, userId), eq(trustedDevices.id, id))
    : eq(trustedDevices.userId, userId)
  const gone = await db.delete(trustedDevices).where(where).returning({ id: trustedDevices.id })
  return gone.length
}
