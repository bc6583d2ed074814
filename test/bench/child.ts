/** Starts test/bench/server.ts in a child process and talks to it over IPC. */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { generateServerSecret } from '../../api/lib/crypto'
import type { Command } from './server'

export interface Counters {
  cpuMs: number
  statements: number
  roundTrips: number
  commits: number
  pending: number
}

export interface BenchServer {
  port: number
  call<T = any>(command: Command): Promise<T>
  cpuMs(): Promise<Counters>
  stop(): Promise<void>
}

export async function startBenchServer(
  dir: string,
  options: { synchronous?: string; trace?: boolean } = {},
) {
  const child = fork(join(import.meta.dirname, 'server.ts'), [], {
    env: {
      ...(options.synchronous ? { BENCH_SYNCHRONOUS: options.synchronous } : {}),
      ...process.env,
      BENCH_DB: join(dir, 'bench.db'),
      TWOFOLD_SECRET: generateServerSecret(),
      BENCH_TRACE: options.trace ? '1' : '0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let nextId = 0
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)))
    child.on('message', (m: any) => {
      if (m.ready) return resolve(m.ready)
      const pending = waiting.get(m.id)
      waiting.delete(m.id)
      if (m.error) pending?.reject(new Error(m.error))
      else pending?.resolve(m.result)
    })
  })
  const call = <T>(command: Command) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId
      waiting.set(id, { resolve, reject })
      child.send({ ...command, id })
    })
  const server: BenchServer = {
    port,
    call,
    async cpuMs() {
      const { cpu, ...r } = await call<Omit<Counters, 'cpuMs'> & { cpu: NodeJS.CpuUsage }>({
        cmd: 'cpu',
      })
      return { cpuMs: (cpu.user + cpu.system) / 1000, ...r }
    },
    async stop() {
      child.removeAllListeners('exit')
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await call({ cmd: 'exit' })
      await exited
    },
  }
  return server
}
