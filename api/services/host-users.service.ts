/**
 * Embedded mode: the host's users as Twofold sees them. Twofold keeps one row per host user it
 * has seen in `twofold_users` (id, email, name, role; no password), kept in step with what the
 * host's `getUser` says, so that lockout, audit, the admin listing, stats and policy work. The
 * host's own tables are never read or written.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import type { AuthUser, Deps } from '../context'
import { users } from '../db/schema'
import { findUserById, toAuthUser } from './users.service'

/** A host's user, as the host's `getUser` (or its login route) describes them. */
export interface HostUser {
  id: string | number
  email: string
  name?: string | null
  /** `admin` reaches Twofold's administration routes. @default 'user' */
  role?: 'user' | 'admin'
}

/**
 * The Twofold user for a host user: one read when nothing changed; otherwise one batch that
 * inserts the row or brings its email, name and role up to date (the role's start moves with
 * the role, so a new admin gets the policy's full grace period).
 */
export async function seeHostUser(deps: Deps, host: HostUser): Promise<AuthUser> {
  const id = String(host.id)
  const email = typeof host.email === 'string' ? host.email.trim() : ''
  if (!id || id.length > 256 || !email || email.length > 320)
    throw new Error('getUser must return { id, email, name?, role? } with a non-empty id and email')
  const name = host.name ?? null
  const role = host.role === 'admin' ? 'admin' : 'user'
  const row = await findUserById(deps, id)
  if (row && row.email === email && row.name === name && row.role === role) return toAuthUser(row)
  const { db } = deps
  const now = deps.now()
  const [, saved] = await db.batch([
    // Another host user's stale row still holding this email (the host moved it) gives it up;
    // it is brought up to date when that user is next seen.
    db
      .update(users)
      .set({ email: sql`'replaced:' || ${users.id}` })
      .where(and(eq(users.email, email), ne(users.id, id), isNull(users.passwordHash))),
    db
      .insert(users)
      .values({ id, email, name, role, passwordHash: null, roleSince: now, createdAt: now })
      .onConflictDoUpdate({
        target: users.id,
        set: {
          email,
          name,
          role,
          roleSince: sql`CASE WHEN ${users.role} = ${role} THEN ${users.roleSince} ELSE ${now} END`,
        },
      })
      .returning(),
  ])
  return toAuthUser(saved[0]!)
}

/** Notes a sign-in the host completed (the admin listing shows it). */
export async function noteSignIn(deps: Deps, userId: string) {
  await deps.db.update(users).set({ lastSignInAt: deps.now() }).where(eq(users.id, userId))
}
