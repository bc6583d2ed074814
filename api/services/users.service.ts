import { eq, min, sql } from 'drizzle-orm'
import type { AuthUser, Deps } from '../context'
import { prepared } from '../db/prepared'
import { authenticators, users } from '../db/schema'
import { hashPassword, newId } from '../lib/crypto'
import { HttpError } from '../lib/errors'
import type { UserDto } from '../schemas'

/**
 * Creates an account; the very first one becomes admin. One statement decides the role and
 * inserts, so parallel first sign-ups cannot make two admins.
 */
export async function createUser(
  deps: Deps,
  input: { email: string; password: string; name?: string },
) {
  const { db, now } = deps
  const passwordHash = await hashPassword(input.password)
  const createdAt = now()
  const id = newId('usr')
  // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
  const inserted = await db.all<{ role: 'user' | 'admin' }>(sql`
    INSERT INTO ${users} (id, email, name, password_hash, role, role_since, created_at)
    SELECT ${id}, ${input.email}, ${input.name ?? null}, ${passwordHash},
      CASE WHEN EXISTS (SELECT 1 FROM ${users}) THEN 'user' ELSE 'admin' END,
      ${createdAt}, ${createdAt}
    WHERE true
    ON CONFLICT DO NOTHING
    RETURNING role`)
  const role = inserted[0]?.role
  if (!role) throw new HttpError(409, 'EMAIL_TAKEN')
  const name = input.name ?? null
  const user: AuthUser = { id, email: input.email, name, role, roleSince: createdAt, createdAt }
  return user
}

export async function findUserByEmail(deps: Deps, email: string) {
  const [row] = await deps.db.select().from(users).where(eq(users.email, email))
  return row ?? null
}

const userById = prepared((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
)

export async function findUserById(deps: Deps, id: string) {
  const [row] = await userById(deps.db).all({ id })
  return row ?? null
}

const enabledAtOf = prepared((db) =>
  db
    .select({ enabledAt: min(authenticators.confirmedAt) })
    .from(authenticators)
    .where(eq(authenticators.userId, sql.placeholder('userId')))
    .prepare(),
)

/** When 2FA was enabled: the first confirmation among the user's authenticators, or null. */
export async function twoFactorEnabledAt(deps: Deps, userId: string): Promise<number | null> {
  const [row] = await enabledAtOf(deps.db).all({ userId })
  return row?.enabledAt ?? null
}

export async function toUserDto(
  deps: Deps,
  user: Pick<AuthUser, 'id' | 'email' | 'name' | 'role'>,
): Promise<UserDto> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    twoFactorEnabled: (await twoFactorEnabledAt(deps, user.id)) !== null,
  }
}

export const toAuthUser = ({
  passwordHash: _p,
  lastSignInAt: _l,
  ...user
}: typeof users.$inferSelect) => user as AuthUser
