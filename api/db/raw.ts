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

type Driver = { kind: 'libsql'; client: Client } | { kind: 'd1'; client: D1Database }

const drivers = new WeakMap<Db, Driver>()

function driverOf(db: Db): Driver {
  let driver = drivers.get(db)
  if (!driver) {
    const client = (db as unknown as { $client: unknown }).$client as Record<string, unknown>
    driver =
      typeof client.execute === 'function'
        ? { kind: 'libsql', client: client as unknown as Client }
        : { kind: 'd1', client: client as unknown as D1Database }
    drivers.set(db, driver)
  }
  return driver
}

/** One statement, one round trip (a read). */
export async function read(db: Db, statement: Bound): Promise<Row[]> {
  const driver = driverOf(db)
  if (driver.kind === 'libsql') {
    const rs = await driver.client.execute({ sql: statement.sql, args: statement.args as InArgs })
    return rs.rows as unknown as Row[]
  }
  const rs = await driver.client
    .prepare(statement.sql)
    .bind(...statement.args)
    .all<Row>()
  return rs.results
}

/**
 * The statements in one transaction, one commit, one round trip: libSQL's `batch` in write mode
 * (BEGIN IMMEDIATE … COMMIT, one Hrana pipeline request when remote), D1's `batch` (a
 * transaction). Each statement sees the effects of the ones before it. Returns each one's rows.
 */
export async function batch(db: Db, statements: Bound[]): Promise<Row[][]> {
  const driver = driverOf(db)
  if (driver.kind === 'libsql') {
    const results = await driver.client.batch(
      statements.map((s) => ({ sql: s.sql, args: s.args as InArgs })),
      'write',
    )
    return results.map((rs) => rs.rows as unknown as Row[])
  }
  const d1 = driver.client
  const results = await d1.batch<Row>(statements.map((s) => d1.prepare(s.sql).bind(...s.args)))
  return results.map((rs) => rs.results ?? [])
}
