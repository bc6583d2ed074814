/**
 * The embedded database's hot path (Node only): the sign-in steps' compiled statements run on a
 * connection of their own to the same file, through `libsql` (the native engine under
 * `@libsql/client`), with each statement prepared once and kept.
 *
 * Why: `@libsql/client` prepares every statement on every call and probes whether it returns rows
 * by catching an exception; for the second step's read and batch that was about a third of the
 * database's CPU time (measured in docs/performance.md). Everything else keeps going through the
 * Drizzle client.
 *
 * Two connections to one file are safe here: every call below, like every `@libsql/client` call
 * on an embedded file, runs synchronously to its end (a batch is BEGIN IMMEDIATE … COMMIT without
 * yielding), so within this process one never finds the other inside a transaction; against other
 * processes the busy timeout waits, as the client's does (WAL: readers never block).
 */
import Database from 'libsql'
import type { Bound, RawDriver, Row } from './raw'

type Statement = Database.Statement

/** Statements kept per connection; the hot path has a few dozen distinct ones. */
const CACHE_LIMIT = 256

/** The path of a `file:` URL libSQL can open a second connection to; null for `:memory:`. */
export function embeddedPath(url: string): string | null {
  if (!url.startsWith('file:') || url.includes('?')) return null
  let path = url.slice('file:'.length)
  if (path.startsWith('//')) path = path.slice(2)
  path = decodeURIComponent(path)
  return path === '' || path.includes(':memory:') ? null : path
}

export interface NativeDriver extends RawDriver {
  close(): void
}

export function nativeDriver(path: string): NativeDriver {
  const db = new Database(path, { timeout: 5000 })
  db.exec('PRAGMA foreign_keys = ON')
  const cache = new Map<string, { statement: Statement; reader: boolean }>()

  const prepared = (text: string) => {
    let entry = cache.get(text)
    if (!entry) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
      const statement = db.prepare(text)
      entry = { statement, reader: statement.reader }
      cache.set(text, entry)
    }
    return entry
  }

  const run = ({ sql, args }: Bound): Row[] => {
    const { statement, reader } = prepared(sql)
    const values = args.map(toSql)
    if (reader) return statement.all(values) as Row[]
    statement.run(values)
    return []
  }

  const begin = db.prepare('BEGIN IMMEDIATE')
  const commit = db.prepare('COMMIT')
  const rollback = db.prepare('ROLLBACK')

  return {
    async read(statement) {
      return run(statement)
    },
    async batch(statements) {
      begin.run()
      try {
        const results = statements.map(run)
        commit.run()
        return results
      } catch (error) {
        if (db.inTransaction) rollback.run()
        throw error
      }
    },
    close() {
      db.close()
    },
  }
}

/** Values as `@libsql/client` sends them: booleans as 0/1, bytes as a Buffer. */
function toSql(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  return value
}
