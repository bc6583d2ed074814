import { and, eq, gt } from 'drizzle-orm'
import type { Auth, AuthUser, Deps, RequestMeta } from '../context'
import { sessions, users } from '../db/schema'
import { newId, randomToken, sha256Hex } from '../lib/crypto'

/** A new session: the token goes to the client once (body or cookie), only its hash is stored. */
export interface NewSession {
  token: string
  expiresAt: number
}

/** Starts a session and notes the sign-in time. */
export async function createSession(
  deps: Deps,
  meta: RequestMeta,
  user: AuthUser,
): Promise<NewSession> {
  const { db, now, limits } = deps
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
      ip: meta.ip,
      userAgent: meta.userAgent,
    }),
    db.update(users).set({ lastSignInAt: createdAt }).where(eq(users.id, user.id)),
  ])
  return { token, expiresAt }
}

/** The live session behind a token (from a Bearer header or the session cookie), if any. */
export async function findSession(
  deps: Deps,
  token: string,
  via: Auth['via'],
): Promise<Auth | null> {
  if (token.length > 256) return null
  const { db, now } = deps
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
    via,
  }
}

export async function revokeSession(deps: Deps, sessionId: string) {
  await deps.db.delete(sessions).where(eq(sessions.id, sessionId))
}

export async function revokeAllSessions(deps: Deps, userId: string) {
  await deps.db.delete(sessions).where(eq(sessions.userId, userId))
}
