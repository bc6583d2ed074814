/**
 * Hand-written hot-path statements, compiled once from Drizzle's `sql` templates (tables and
 * columns referenced through the schema objects) and sent straight to the driver: one `read`
 * round trip, or one `batch` (one transaction, one commit) on libSQL (embedded or remote) and D1.
 * Nothing is rebuilt per request: a statement's SQL text and its placeholder order are fixed at
 * module load; a request only binds values.
 */
import type { Client, InArgs } from '@libsql/client'
import type { D1Database } from '@cloudflare/workers-types'
import { Placeholder, sql, type Column, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type { Db } from './client'

const dialect = new SQLiteSyncDialect()

export type Row = Record<string, unknown>
export type Values = Record<string, unknown>

/** A compiled statement: its text and, per `?`, a constant or the name of a placeholder. */
export interface Compiled {
  sql: string
  params: ({ name: string } | { value: unknown })[]
}

export function compile(query: SQL): Compiled {
  const { sql: text, params } = dialect.sqlToQuery(query)
  return {
    sql: text,
    params: params.map((p) => (p instanceof Placeholder ? { name: p.name } : { value: p })),
  }
}

/** A statement bound to this request's values. */
export interface Bound {
  sql: string
  args: unknown[]
}

export function bind(statement: Compiled, values: Values): Bound {
  const args = statement.params.map((p) => {
    if ('value' in p) return p.value
    const value = values[p.name]
    if (value === undefined) throw new Error(`no value for :${p.name}`)
    return value
  })
  return { sql: statement.sql, args }
}

/** `sql.placeholder`, short. */
export const p = (name: string) => sql.placeholder(name)

/** Bare column names, for INSERT column lists and UPDATE SET targets. */
export const names = (...columns: Column[]) =>
  sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  )
export const name = (column: Column) => sql.identifier(column.name)

/**
 * Runs the compiled statements: a `read` (one statement, one round trip) and a `batch` (one
 * transaction, one commit, one round trip; each statement sees the effects of the ones before
 * it; returns each one's rows).
 */
export interface RawDriver {
  read(statement: Bound): Promise<Row[]>
  batch(statements: Bound[]): Promise<Row[][]>
}

const drivers = new WeakMap<Db, RawDriver>()

/**
 * Gives `db`'s hot-path statements a driver of their own (the embedded database's native one,
 * with a statement cache: `api/db/native.ts`). Without one, they go to `db`'s client.
 */
export function useRawDriver(db: Db, driver: RawDriver) {
  drivers.set(db, driver)
}

/** The driver of `db`'s hot-path statements (the one given, else one over `db`'s client). */
export function rawDriver(db: Db): RawDriver {
  let driver = drivers.get(db)
  if (!driver) {
    const client = (db as unknown as { $client: unknown }).$client as Record<string, unknown>
    driver =
      typeof client.execute === 'function'
        ? libsqlDriver(client as unknown as Client)
        : d1Driver(client as unknown as D1Database)
    drivers.set(db, driver)
  }
  return driver
}

/** libSQL's client: `execute`, and `batch` in write mode (BEGIN IMMEDIATE … COMMIT; one Hrana
 * pipeline request when remote). */
const libsqlDriver = (client: Client): RawDriver => ({
  async read(statement) {
    const rs = await client.execute({ sql: statement.sql, args: statement.args as InArgs })
    return rs.rows as unknown as Row[]
  },
  async batch(statements) {
    const results = await client.batch(
      statements.map((s) => ({ sql: s.sql, args: s.args as InArgs })),
      'write',
    )
    return results.map((rs) => rs.rows as unknown as Row[])
  },
})

/** D1: a prepared statement, and `batch` (a transaction). */
const d1Driver = (d1: D1Database): RawDriver => ({
  async read(statement) {
    const rs = await d1
      .prepare(statement.sql)
      .bind(...statement.args)
      .all<Row>()
    return rs.results
  },
  async batch(statements) {
    const results = await d1.batch<Row>(statements.map((s) => d1.prepare(s.sql).bind(...s.args)))
    return results.map((rs) => rs.results ?? [])
  },
})

/** One statement, one round trip (a read). */
export const read = (db: Db, statement: Bound): Promise<Row[]> => rawDriver(db).read(statement)

/** The statements in one transaction, one commit, one round trip. */
export const batch = (db: Db, statements: Bound[]): Promise<Row[][]> =>
  rawDriver(db).batch(statements)
