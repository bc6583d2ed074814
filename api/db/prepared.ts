import type { Db } from './client'

/**
 * A statement built and prepared once per database handle, then run with placeholders: Drizzle
 * otherwise rebuilds the SQL of every hot statement on every request.
 */
export function prepared<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let statement = cache.get(db)
    if (!statement) cache.set(db, (statement = build(db)))
    return statement
  }
}
