import type { D1Database } from '@cloudflare/workers-types'
import { drizzle } from 'drizzle-orm/d1'
import { schema, type Db } from './client'

/**
 * The D1 binding as the shared `Db` handle. Both drivers expose the same query builder and
 * `batch`; D1 has no interactive transactions, which the services never use. Migrations are
 * applied by wrangler (`wrangler d1 migrations apply DB`), never here.
 */
export function openD1(binding: D1Database): Db {
  return drizzle(binding, { schema }) as unknown as Db
}
