/**
 * The bench's server process: the real `startServer` on an embedded libSQL file, plus the
 * bench-only ceiling route. The parent drives it over IPC (seeding, CPU readings), so the
 * server's own CPU time is measured apart from the load generator's.
 */
import type { Client } from '@libsql/client'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { rawDriver } from '../../api/db/raw'
import { startServer } from '../../api/node'
import { mountCeiling } from './ceiling'
import { answerParent, freePort } from './child'
import { seedAdminSession, seedAuditLog, seedDirectory, seedUsers } from './seed'

export type Command =
  | { cmd: 'seedUsers'; args: Parameters<typeof seedUsers>[3] & { n: number } }
  | { cmd: 'seedDirectory'; args: { total: number } }
  | { cmd: 'seedAuditLog'; args: { total: number; days: number; users: number } }
  | { cmd: 'seedAdminSession' }
  | { cmd: 'cpu' }
  | { cmd: 'profile'; args: { file?: string } }
  | { cmd: 'exit' }

async function main() {
  const port = await freePort()
  const quiet = console.log
  console.log = () => {}
  const { app, server, db } = await startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${process.env.BENCH_DB}`,
    TWOFOLD_SECRET: process.env.TWOFOLD_SECRET,
  })
  console.log = quiet
  const client = (db as unknown as { $client: Client }).$client
  // Count statements, round trips and commits sent to the database, per request on average.
  let statements = 0
  let roundTrips = 0
  let commits = 0
  const writes = /^\s*(insert|update|delete|replace)\b/i
  const sqlOf = (s: any) => (typeof s === 'string' ? s : s.sql)
  const execute = client.execute.bind(client)
  const batch = client.batch.bind(client)
  const trace = process.env.BENCH_TRACE === '1'
  client.execute = ((stmt: any, args?: any) => {
    statements++
    roundTrips++
    if (writes.test(sqlOf(stmt))) commits++
    if (trace)
      console.error(
        'SQL',
        typeof stmt === 'string' ? stmt : stmt.sql,
        JSON.stringify(stmt.args ?? args),
      )
    return execute(stmt, args)
  }) as Client['execute']
  client.batch = ((stmts: any[], mode?: any) => {
    statements += stmts.length
    roundTrips++
    if (stmts.some((s) => writes.test(sqlOf(s)))) commits++
    if (trace) for (const s of stmts) console.error('BATCH', s.sql ?? s, JSON.stringify(s.args))
    return batch(stmts, mode)
  }) as Client['batch']
  // The hot path's own driver (on this embedded file, the native connection with its statement
  // cache): counted the same way.
  const driver = rawDriver(db)
  const driverRead = driver.read.bind(driver)
  const driverBatch = driver.batch.bind(driver)
  driver.read = (statement) => {
    statements++
    roundTrips++
    if (writes.test(statement.sql)) commits++
    if (trace) console.error('SQL', statement.sql, JSON.stringify(statement.args))
    return driverRead(statement)
  }
  driver.batch = (list) => {
    statements += list.length
    roundTrips++
    if (list.some((s) => writes.test(s.sql))) commits++
    if (trace) for (const s of list) console.error('BATCH', s.sql, JSON.stringify(s.args))
    return driverBatch(list)
  }
  mountCeiling(app as any, driver)
  // Exploration only (`--synchronous=normal`): the product keeps libSQL's default (FULL).
  if (process.env.BENCH_SYNCHRONOUS) {
    const pragma = `PRAGMA synchronous = ${process.env.BENCH_SYNCHRONOUS}`
    await client.execute(pragma)
    await driverRead({ sql: pragma, args: [] })
  }
  let inspector: Session | undefined

  answerParent<Command>(
    port,
    async (message) => {
      switch (message.cmd) {
        case 'seedUsers': {
          const { n, ...options } = message.args
          return await seedUsers(db, app.deps.keys, n, options)
        }
        case 'seedDirectory':
          return await seedDirectory(db, client, message.args.total)
        case 'seedAuditLog': {
          const { total, days, users } = message.args
          return await seedAuditLog(client, total, days, users)
        }
        case 'seedAdminSession':
          return await seedAdminSession(db)
        case 'profile': {
          // No file: start the V8 profiler; with a file: stop it and write the profile there.
          if (!message.args.file) {
            inspector = new Session()
            inspector.connect()
            await inspector.post('Profiler.enable')
            await inspector.post('Profiler.start')
            return null
          }
          const { profile } = await inspector!.post('Profiler.stop')
          writeFileSync(message.args.file, JSON.stringify(profile))
          inspector!.disconnect()
          return message.args.file
        }
        case 'cpu':
          return {
            cpu: process.cpuUsage(),
            statements,
            roundTrips,
            commits,
            pending: app.background.size,
          }
      }
    },
    async () => {
      await app.background.settled()
      server.close()
      client.close()
    },
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
