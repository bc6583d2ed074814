/**
 * "Remember this device for 30 days": a random token (the edge keeps it in an HttpOnly cookie),
 * stored hashed, rotated on every use, tied to one user.
 */
import { and, count, desc, eq, gt } from 'drizzle-orm'
import { UAParser } from 'ua-parser-js'
import type { Deps, RequestMeta } from '../context'
import { trustedDevices } from '../db/schema'
import { newId, randomToken, sha256Hex } from '../lib/crypto'
import { HttpError } from '../lib/errors'
import { iso } from '../lib/time'
import { recordEvent } from './audit.service'

/** "Chrome on macOS", from the user agent; "Unknown device" when it says nothing useful. */
export function deviceLabel(ua: string | null): string {
  if (!ua) return 'Unknown device'
  const { browser, os } = new UAParser(ua).getResult()
  const osName = os.name === 'Mac OS' ? 'macOS' : os.name
  if (browser.name && osName) return `${browser.name} on ${osName}`
  return browser.name ?? osName ?? 'Unknown device'
}

/** A device token to hand to the client (the edge sets it as the trusted-device cookie). */
export interface DeviceToken {
  token: string
  expiresAt: number
}

/** Remembers the device the request came from; records it in the audit log. */
export async function rememberDevice(
  deps: Deps,
  meta: RequestMeta,
  userId: string,
): Promise<DeviceToken> {
  const { db, now, limits } = deps
  const token = randomToken()
  const createdAt = now()
  const expiresAt = createdAt + limits.trustedDeviceTtlSeconds * 1000
  const ua = meta.userAgent
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
  await recordEvent(deps, meta, { action: 'trusted_device_added', userId, metadata: { label } })
  return { token, expiresAt }
}

/**
 * If `token` is this user's live device token, rotates it (one conditional statement, so a
 * copied cookie works at most once more) and returns the new one.
 */
export async function useTrustedDevice(
  deps: Deps,
  userId: string,
  token: string | null,
): Promise<DeviceToken | null> {
  if (!token) return null
  const { db, now } = deps
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
  if (rotated.length === 0) return null
  return { token: fresh, expiresAt: rotated[0]!.expiresAt }
}

/** The user's live devices; `current` marks the one whose token the request carries. */
export async function listDevices(deps: Deps, userId: string, token: string | null) {
  const { db, now } = deps
  const currentHash = token ? await sha256Hex(token) : null
  const rows = await db
    .select()
    .from(trustedDevices)
    .where(and(eq(trustedDevices.userId, userId), gt(trustedDevices.expiresAt, now())))
    .orderBy(desc(trustedDevices.lastUsedAt))
  const devices = rows.map((d) => ({
    id: d.id,
    label: d.label,
    userAgent: d.userAgent,
    createdAt: iso(d.createdAt)!,
    lastUsedAt: iso(d.lastUsedAt),
    expiresAt: iso(d.expiresAt)!,
    current: d.tokenHash === currentHash,
  }))
  return { devices }
}

export async function countDevices(deps: Deps, userId: string) {
  const { db, now } = deps
  const [row] = await db
    .select({ n: count() })
    .from(trustedDevices)
    .where(and(eq(trustedDevices.userId, userId), gt(trustedDevices.expiresAt, now())))
  return row?.n ?? 0
}

/** Revokes one device (or all, without `id`); returns how many went. */
export async function revokeDevices(deps: Deps, userId: string, id?: string) {
  const { db } = deps
  const where = id
    ? and(eq(trustedDevices.userId, userId), eq(trustedDevices.id, id))
    : eq(trustedDevices.userId, userId)
  const gone = await db.delete(trustedDevices).where(where).returning({ id: trustedDevices.id })
  return gone.length
}

/** Revokes one of the user's devices; 404 when it is not theirs. */
export async function revokeDevice(deps: Deps, meta: RequestMeta, userId: string, id: string) {
  if ((await revokeDevices(deps, userId, id)) === 0) throw new HttpError(404, 'NOT_FOUND')
  await recordEvent(deps, meta, {
    action: 'trusted_device_revoked',
    userId,
    metadata: { count: 1 },
  })
}

/** Revokes all of the user's devices. */
export async function revokeAllDevices(deps: Deps, meta: RequestMeta, userId: string) {
  const count = await revokeDevices(deps, userId)
  await recordEvent(deps, meta, { action: 'trusted_device_revoked', userId, metadata: { count } })
}
