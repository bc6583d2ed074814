import {
  and,
  desc,
  eq,
  exists,
  isNotNull,
  isNull,
  min,
  notExists,
  or,
  sql,
  type SQL,
} from 'drizzle-orm'
import type { Deps } from '../context'
import { attemptCounters, authenticators, backupCodes, users } from '../db/schema'
import { iso } from '../lib/time'

export interface UserQuery {
  q?: string
  twoFactor?: 'enabled' | 'disabled'
  role?: 'user' | 'admin'
  page: number
  pageSize: number
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** An FTS5 phrase: with the trigram tokenizer, rows holding `s` as a substring (3+ characters). */
const ftsPhrase = (s: string) => `"${s.replace(/"/g, '""')}"`

/**
 * What a search means: control characters (a NUL, a tab pasted from a spreadsheet) can be in no
 * email or name, so they are dropped rather than refused.
 */
export const searchText = (q: string) => q.replace(/\p{Cc}/gu, '').trim()

/**
 * The spellings of a short fragment that differ only in case, for LIKE, which folds ASCII only:
 * `é` → `é`, `É`. At most 3 per character, and short fragments have at most 2 characters.
 */
function caseVariants(fragment: string): string[] {
  let variants = ['']
  for (const ch of fragment) {
    const forms = /[\x00-\x7f]/.test(ch)
      ? [ch]
      : [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])]
    variants = variants.flatMap((v) => forms.map((f) => v + f))
  }
  return variants
}

/**
 * Users whose email or name holds `q`, in any case (Unicode). From 3 characters on, the trigram
 * index (twofold_users_search, FTS5, which folds case for every script) answers alone: a trigram phrase
 * matches exactly the rows holding it as a substring. Shorter fragments have no trigram and scan
 * with LIKE, once per case spelling.
 */
function searchFilter(q: string): SQL {
  if ([...q].length >= 3) {
    const phrase = ftsPhrase(q)
    return sql`${users.id} IN (SELECT user_id FROM twofold_users_search WHERE twofold_users_search MATCH ${phrase})`
  }
  return or(
    ...caseVariants(q).flatMap((variant) => {
      const pattern = `%${escapeLike(variant)}%`
      return [
        sql`${users.email} LIKE ${pattern} ESCAPE '\\'`,
        sql`${users.name} LIKE ${pattern} ESCAPE '\\'`,
      ]
    }),
  )!
}

/** One page of users with their second-factor state, newest accounts first. */
export async function listUsers(deps: Deps, query: UserQuery) {
  const { db, now } = deps
  const filters: SQL[] = []
  const q = searchText(query.q ?? '')
  if (q) filters.push(searchFilter(q))
  if (query.role) filters.push(eq(users.role, query.role))
  const confirmed = db
    .select({ one: sql`1` })
    .from(authenticators)
    .where(and(eq(authenticators.userId, users.id), isNotNull(authenticators.confirmedAt)))
  if (query.twoFactor === 'enabled') filters.push(exists(confirmed))
  if (query.twoFactor === 'disabled') filters.push(notExists(confirmed))
  const where = filters.length ? and(...filters) : undefined

  // The page's ids first, walking the (created_at, id) index: rows skipped by the offset cost one
  // index step each and nothing else. The per-user columns are then computed for this page only.
  let ids = db.select({ id: users.id, createdAt: users.createdAt }).from(users).$dynamic()
  const page = ids
    .where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .as('page')
  // Without filters, a plain count(*) of users reads the b-tree count.
  let counted = db
    .select({ total: sql<number>`count(*)` })
    .from(users)
    .$dynamic()

  const twoFactorLock = db
    .select({ until: attemptCounters.lockedUntil })
    .from(attemptCounters)
    .where(eq(attemptCounters.key, sql`'2fa:' || ${users.id}`))
  const passwordLock = db
    .select({ until: attemptCounters.lockedUntil })
    .from(attemptCounters)
    .where(eq(attemptCounters.key, sql`'pw:account:' || ${users.email}`))
  const enabledAt = db
    .select({ at: min(authenticators.confirmedAt) })
    .from(authenticators)
    .where(eq(authenticators.userId, users.id))
  const ofType = (type: 'totp' | 'passkey') =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(authenticators)
      .where(
        and(
          eq(authenticators.userId, users.id),
          eq(authenticators.type, type),
          isNotNull(authenticators.confirmedAt),
        ),
      )
  const left = db
    .select({ n: sql<number>`count(*)` })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, users.id), isNull(backupCodes.usedAt)))

  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        enabledAt: sql<number | null>`(${enabledAt})`,
        totp: sql<number>`(${ofType('totp')})`,
        passkey: sql<number>`(${ofType('passkey')})`,
        lastSignInAt: users.lastSignInAt,
        backupCodesRemaining: sql<number>`(${left})`,
        lockedUntil: sql<
          number | null
        >`max(coalesce((${twoFactorLock}), 0), coalesce((${passwordLock}), 0))`,
      })
      // CROSS JOIN keeps the page as the outer loop (SQLite does not reorder it).
      .from(page)
      .crossJoin(users)
      .where(eq(users.id, page.id))
      .orderBy(desc(page.createdAt), desc(page.id)),
    counted.where(where),
  ])
  const at = now()
  return {
    users: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      twoFactorEnabled: r.enabledAt !== null,
      twoFactorEnabledAt: iso(r.enabledAt === null ? null : Number(r.enabledAt)),
      authenticators: { totp: Number(r.totp), passkey: Number(r.passkey) },
      backupCodesRemaining: Number(r.backupCodesRemaining),
      lastSignInAt: iso(r.lastSignInAt),
      lockedUntil: r.lockedUntil && Number(r.lockedUntil) > at ? iso(Number(r.lockedUntil)) : null,
    })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
  }
}
