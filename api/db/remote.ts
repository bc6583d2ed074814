import { createClient } from '@libsql/client/web'
import { drizzle } from 'drizzle-orm/libsql/web'
import { schema, type Db } from './client'

export interface OpenRemoteLibsqlOptions {
  /** `libsql://…` or `https://…` (Turso, sqld). */
  url: string
  authToken?: string
}

/**
 * Remote libSQL over HTTP, with the fetch-only client that runs in workerd. Migrations are the
 * operator's job (`drizzle-kit migrate`), so nothing runs at start-up.
 */
export function openRemoteLibsql({ url, authToken }: OpenRemoteLibsqlOptions): Db {
  return drizzle(createClient({ url, authToken }), { schema })
}
