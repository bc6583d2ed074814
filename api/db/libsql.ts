import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { fileURLToPath } from 'node:url'
import { schema, type Db } from './client'
import { applyMigrations } from './migrate'
import { embeddedPath, nativeDriver } from './native'
import { useRawDriver } from './raw'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url))

export interface OpenLibsqlOptions {
  url: string
  authToken?: string
}

/** Opens libSQL (embedded file, `:memory:` or remote) and applies the committed migrations. */
export async function openLibsql({ url, authToken }: OpenLibsqlOptions) {
  const client = createClient({ url, authToken })
  if (url.startsWith('file:')) {
    // WAL lets readers run beside the writer; the busy timeout absorbs short write contention.
    await client.execute('PRAGMA journal_mode = WAL')
    await client.execute('PRAGMA busy_timeout = 5000')
  }
  await client.execute('PRAGMA foreign_keys = ON')
  const db = drizzle(client, { schema })
  await applyMigrations(db, MIGRATIONS_FOLDER)
  // An embedded file: the sign-in steps' statements run prepared once, on a connection of their own.
  const path = embeddedPath(url)
  if (path) useRawDriver(db as Db, nativeDriver(path))
  return { db: db as Db, client }
}
