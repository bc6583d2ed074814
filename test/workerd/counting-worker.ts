/**
 * Test-only Worker entry: the real Worker (api/worker.ts) with its D1 binding wrapped to count
 * what reaches D1. Each `batch` is one round trip (and one transaction); each `all`, `first`,
 * `run`, `raw` of a prepared statement, and each `exec`, is one round trip. `GET /__db-calls`
 * answers the counts since the last call and resets them (requests are sent one at a time).
 */
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types'
import worker, { type WorkerEnv } from '../../api/worker'

const counts = { roundTrips: 0, batches: 0, statements: 0, sql: [] as string[] }

function counted(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
  for (const method of ['all', 'first', 'run', 'raw'] as const) {
    const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement)
    Object.defineProperty(statement, method, {
      value: (...args: unknown[]) => {
        counts.roundTrips++
        counts.statements++
        counts.sql.push(sql)
        return original(...args)
      },
    })
  }
  const bind = statement.bind.bind(statement)
  Object.defineProperty(statement, 'bind', {
    value: (...values: unknown[]) => counted(bind(...values), sql),
  })
  return statement
}

function countingD1(db: D1Database): D1Database {
  return {
    prepare: (sql: string) => counted(db.prepare(sql), sql),
    batch: (statements: D1PreparedStatement[]) => {
      counts.roundTrips++
      counts.batches++
      counts.statements += statements.length
      return db.batch(statements)
    },
    exec: (sql: string) => {
      counts.roundTrips++
      counts.statements++
      return db.exec(sql)
    },
    dump: () => db.dump(),
    withSession: (...args: unknown[]) => (db as any).withSession(...args),
  } as unknown as D1Database
}

const wrapped = new WeakMap<WorkerEnv, WorkerEnv>()

export default {
  ...worker,
  async fetch(request: Request, env: WorkerEnv, ctx: Parameters<typeof worker.fetch>[2]) {
    if (new URL(request.url).pathname === '/__db-calls') {
      const answer = Response.json({ ...counts })
      Object.assign(counts, { roundTrips: 0, batches: 0, statements: 0, sql: [] })
      return answer
    }
    let counting = wrapped.get(env)
    if (!counting) {
      counting = { ...env, ...(env.DB ? { DB: countingD1(env.DB) } : {}) }
      wrapped.set(env, counting)
    }
    return worker.fetch(request, counting, ctx)
  },
}
