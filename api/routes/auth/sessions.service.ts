import { and, eq, gt } from 'drizzle-orm'
import type { AuthUser, Ctx } from '../../context'
import { sessions, users } from '../../db/schema'
import { newId, randomToken, sha256Hex } from '../../lib/crypto'
import { clearCookie, readCookie, writeCookie } from '../../lib/cookies'
import { clientIp, iso, userAgent } from '../../lib/request-meta'

/** The session cookie's name; `__Host-twofold_session` on https (see lib/cookies). */
export const SESSION_COOKIE = 'twofold_session'

/** Starts a session: the token goes to the client once, only its hash is stored. */
export async function createSession(c: Ctx, user: AuthUser) {
  const { db, now, limits } = c.var.deps
  const token = randomToken()
  const createdAt = now()
  const expiresAt = createdAt + limits.sessionTtlSeconds * 1000
  await db.batch([
    db.insert(sessions).values({
      id: newId('ses'),
      userId: user.id,
      tokenHash: await sha256Hex(token),
      createdAt,
      expiresAt,
      ip: clientIp(c),
      userAgent: userAgent(c),
    }),
    db.update(users).set({ lastSignInAt: createdAt }).where(eq(users.id, user.id)),
  ])
  writeCookie(c, SESSION_COOKIE, token, new Date(expiresAt))
  return { token, expiresAt: iso(expiresAt)! }
}

/** The session behind a Bearer token or the session cookie, if it is live. */
export async function findSession(c: Ctx) {
  const header = c.req.header('authorization')
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const token = bearer ?? readCookie(c, SESSION_COOKIE)
  if (!token || token.length > 256) return null
  const { db, now } = c.var.deps
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), gt(sessions.expiresAt, now())))
  if (!row) return null
  const { passwordHash: _omit, lastSignInAt: _last, ...user } = row.user
  return {
    user: user as AuthUser,
    sessionId: row.session.id,
    token,
    expiresAt: row.session.expiresAt,
    via: bearer ? ('bearer' as const) : ('cookie' as const),
  }
}

export async function revokeSession(c: Ctx, sessionId: string) {
  await c.var.deps.db.delete(sessions).where(eq(sessions.id, sessionId))
  clearCookie(c, SESSION_COOKIE)
}

export async function revokeAllSessions(c: Ctx, userId: string) {
  await c.var.deps.db.delete(sessions).where(eq(sessions.userId, userId))
}
