import type { LibSQLDatabase } from 'drizzle-orm/libsql'
import { schema } from './schema'

export { schema }

/**
 * The database handle every service takes. libSQL (file, memory, remote) and D1 share this
 * query-builder surface, batches included; the D1 handle is cast to it in the Worker entry.
 */
export type Db = LibSQLDatabase<typeof schema>
