import { count, eq, sql } from 'drizzle-orm'
import { prepared } from '../../db/prepared'
import type { AuthUser, Ctx } from '../../context'
import { factors, users } from '../../db/schema'
import { hashPassword, newId } from '../../lib/crypto'
import { ApiError } from '../../lib/errors'
import type { UserDto } from '../../schemas'

/** Creates an account; the very first one becomes admin. */
export async function createUser(c: Ctx, input: { email: string; password: string; name?: string }) {
  const { db, now } = c.var.deps
  const passwordHash = await hashPassword(input.password)
  const createdAt = now()
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(users)
  const row = {
    id: newId('usr'),
    email: input.email,
    name: input.name ?? null,
    passwordHash,
    role: n === 0 ? ('admin' as const) : ('user' as const),
    roleSince: createdAt,
    createdAt,
  }
  const inserted = await db.insert(users).values(row).onConflictDoNothing().returning({ id: users.id })
  if (inserted.length === 0) throw new ApiError(409, 'EMAIL_TAKEN')
  const { passwordHash: _omit, ...user } = row
  return user as AuthUser
}

export async function findUserByEmail(c: Ctx, email: string) {
  const [row] = await c.var.deps.db.select().from(users).where(eq(users.email, email))
  return row ?? null
}

const userById = prepared((db) =>
  db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare(),
)

export async function findUserById(c: Ctx, id: string) {
  const [row] = await userById(c.var.deps.db).all({ id })
  return row ?? null
}

const enabledAtOf = prepared((db) =>
  db
    .select({ enabledAt: factors.enabledAt })
    .from(factors)
    .where(eq(factors.userId, sql.placeholder('userId')))
    .prepare(),
)

export async function twoFactorEnabledAt(c: Ctx, userId: string): Promise<number | null> {
  const [row] = await enabledAtOf(c.var.deps.db).all({ userId })
  return row?.enabledAt ?? null
}

export async function toUserDto(c: Ctx, user: Pick<AuthUser, 'id' | 'email' | 'name' | 'role'>): Promise<UserDto> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    twoFactorEnabled: (await twoFactorEnabledAt(c, user.id)) !== null,
  }
}

export const toAuthUser = ({ passwordHash: _p, lastSignInAt: _l, ...user }: typeof users.$inferSelect) =>
  user as AuthUser
