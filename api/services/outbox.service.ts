/** Mail recorded by the default outbox mailer, for the demo and development. */
import { count, desc } from 'drizzle-orm'
import type { Deps } from '../context'
import { outbox } from '../db/schema'
import { iso } from '../lib/time'

/** One page of messages, newest first. */
export async function listOutbox(deps: Deps, query: { page: number; pageSize: number }) {
  const { page, pageSize } = query
  const { db } = deps
  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    db
      .select()
      .from(outbox)
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(outbox),
  ])
  const messages = rows.map((m) => ({ ...m, createdAt: iso(m.createdAt)! }))
  return { messages, total, page, pageSize }
}
