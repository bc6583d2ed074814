/**
 * A small stand-in for a remote libSQL server (Turso, sqld): Hrana 2 over HTTP
 * (`POST /v2/pipeline`, JSON), backed by a local SQLite file and checking the bearer token.
 * Enough of the protocol for @libsql/client's execute, batch and migrate; one connection,
 * requests served one at a time, so every stream sees the same database.
 */
import { createClient, type InValue, type ResultSet, type Transaction } from '@libsql/client'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string }

interface Stmt {
  sql?: string
  sql_id?: number
  args?: HranaValue[]
  named_args?: { name: string; value: HranaValue }[]
}

type Cond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: Cond }
  | { type: 'and' | 'or'; conds: Cond[] }
  | { type: 'is_autocommit' }

type StreamRequest =
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: { steps: { condition?: Cond; stmt: Stmt }[] } }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'sequence'; sql?: string; sql_id?: number }
  | { type: 'close' | 'get_autocommit' | 'describe' }

function fromHrana(value: HranaValue): InValue {
  if (value.type === 'integer') return BigInt(value.value)
  if (value.type === 'blob') return Buffer.from(value.base64, 'base64')
  if (value.type === 'null') return null
  return value.value
}

function toHrana(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: 'null' }
  if (typeof value === 'bigint') return { type: 'integer', value: String(value) }
  if (typeof value === 'number') return { type: 'float', value }
  if (typeof value === 'string') return { type: 'text', value }
  return { type: 'blob', base64: Buffer.from(value as ArrayBuffer).toString('base64') }
}

const stmtResult = (rs: ResultSet) => ({
  cols: rs.columns.map((name, i) => ({ name, decltype: rs.columnTypes[i] || null })),
  rows: rs.rows.map((row) => rs.columns.map((_, i) => toHrana(row[i]))),
  affected_row_count: rs.rowsAffected,
  last_insert_rowid: rs.lastInsertRowid === undefined ? null : String(rs.lastInsertRowid),
})

const errorOf = (error: unknown) => ({
  message: error instanceof Error ? error.message : String(error),
  code: (error as { code?: string }).code ?? 'UNKNOWN',
})

async function readJson(request: IncomingMessage) {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export interface HranaServer {
  url: string
  /** SQL texts run so far (for assertions). */
  statements: string[]
  /** Pipeline requests served so far: one per round trip from a client. */
  requests: { statements: string[] }[]
  close: () => Promise<void>
}

export interface HranaServerOptions {
  /** The SQLite file behind the server. */
  file: string
  /** The bearer token every request must carry. */
  token: string
}

export async function startHranaServer({ file, token }: HranaServerOptions): Promise<HranaServer> {
  const db = createClient({ url: `file:${file}`, intMode: 'bigint' })
  const storedSql = new Map<number, string>()
  const statements: string[] = []
  const requests: { statements: string[] }[] = []
  // The client pools connections, so BEGIN … COMMIT from a stream becomes one client transaction.
  let tx: Transaction | null = null

  const sqliteError = (message: string) =>
    Object.assign(new Error(message), { code: 'SQLITE_ERROR' })

  async function control(sql: string) {
    if (/^\s*BEGIN\b/i.test(sql)) {
      if (tx) throw sqliteError('cannot start a transaction within a transaction')
      const write = /IMMEDIATE|EXCLUSIVE/i.test(sql)
      tx = await db.transaction(write ? 'write' : /READONLY/i.test(sql) ? 'read' : 'deferred')
      return true
    }
    if (/^\s*(COMMIT|END|ROLLBACK)\b/i.test(sql)) {
      if (!tx) throw sqliteError('no transaction is active')
      const done = tx
      tx = null
      await (/^\s*ROLLBACK/i.test(sql) ? done.rollback() : done.commit())
      return true
    }
    return false
  }

  async function run(stmt: Stmt) {
    const sql = stmt.sql ?? storedSql.get(stmt.sql_id!)
    if (sql === undefined) throw new Error(`unknown sql_id ${stmt.sql_id}`)
    statements.push(sql)
    if (await control(sql)) {
      return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null }
    }
    const named = stmt.named_args ?? []
    const args = named.length
      ? Object.fromEntries(named.map((a) => [a.name.replace(/^[:@$]/, ''), fromHrana(a.value)]))
      : (stmt.args ?? []).map(fromHrana)
    return stmtResult(await (tx ?? db).execute({ sql, args }))
  }

  async function batch(steps: { condition?: Cond; stmt: Stmt }[]) {
    const results: (ReturnType<typeof stmtResult> | null)[] = []
    const errors: (ReturnType<typeof errorOf> | null)[] = []
    const holds = (cond: Cond): boolean => {
      if (cond.type === 'ok') return results[cond.step] != null
      if (cond.type === 'error') return errors[cond.step] != null
      if (cond.type === 'not') return !holds(cond.cond)
      if (cond.type === 'and') return cond.conds.every(holds)
      if (cond.type === 'or') return cond.conds.some(holds)
      return tx === null
    }
    for (const step of steps) {
      let result = null
      let error = null
      if (!step.condition || holds(step.condition)) {
        try {
          result = await run(step.stmt)
        } catch (e) {
          error = errorOf(e)
        }
      }
      results.push(result)
      errors.push(error)
    }
    return { step_results: results, step_errors: errors }
  }

  async function serve(request: StreamRequest) {
    switch (request.type) {
      case 'execute':
        return { type: 'execute', result: await run(request.stmt) }
      case 'batch':
        return { type: 'batch', result: await batch(request.batch.steps) }
      case 'store_sql':
        storedSql.set(request.sql_id, request.sql)
        return { type: 'store_sql' }
      case 'close_sql':
        storedSql.delete(request.sql_id)
        return { type: 'close_sql' }
      case 'sequence':
        await db.executeMultiple(request.sql ?? storedSql.get(request.sql_id!)!)
        return { type: 'sequence' }
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: tx === null }
      case 'close':
        return { type: 'close' }
      default:
        throw new Error(`unsupported request ${request.type}`)
    }
  }

  let queue: Promise<unknown> = Promise.resolve()
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return reply(401, { message: 'Unauthorized' })
    }
    if (req.method !== 'POST' || req.url !== '/v2/pipeline') {
      return reply(404, { message: 'Not found' })
    }
    const work = queue.then(async () => {
      const body = (await readJson(req)) as { baton: string | null; requests: StreamRequest[] }
      const first = statements.length
      const results = []
      for (const request of body.requests) {
        try {
          results.push({ type: 'ok', response: await serve(request) })
        } catch (error) {
          results.push({ type: 'error', error: errorOf(error) })
        }
      }
      requests.push({ statements: statements.slice(first) })
      const closed = body.requests.some((r) => r.type === 'close')
      // A stream closed inside a transaction rolls it back, as on a real server.
      if (closed && tx) await control('ROLLBACK')
      reply(200, { baton: closed ? null : 'stream', base_url: null, results })
    })
    queue = work.catch((error) => reply(500, { message: String(error) }))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    statements,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
      db.close()
    },
  }
}
