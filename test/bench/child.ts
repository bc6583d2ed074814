/** Starts test/bench/server.ts in a child process and talks to it over IPC. */
import { fork } from 'node:child_process'
import { createServer } from 'node:net'
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

/**
 * Forks a bench server script and talks to it over IPC: it sends `{ ready: port }` once it
 * listens, then answers each `{ id, cmd, … }` with `{ id, result }` or `{ id, error }`; `{ cmd:
 * 'cpu' }` answers its `process.cpuUsage()` and counters, `{ cmd: 'exit' }` ends it.
 */
export async function forkServer<C extends { cmd: string }, K extends object>(
  script: string,
  env: Record<string, string>,
  label: string,
) {
  const child = fork(join(import.meta.dirname, script), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let nextId = 0
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${label} exited (${code})`)))
    child.on('message', (m: any) => {
      if (m.ready) return resolve(m.ready)
      const pending = waiting.get(m.id)
      waiting.delete(m.id)
      if (m.error) pending?.reject(new Error(m.error))
      else pending?.resolve(m.result)
    })
  })
  const call = <T>(command: C | { cmd: 'cpu' } | { cmd: 'exit' }) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId
      waiting.set(id, { resolve, reject })
      child.send({ ...command, id })
    })
  return {
    port,
    call,
    async cpuMs(): Promise<Omit<K, 'cpu'> & { cpuMs: number }> {
      const { cpu, ...r } = await call<K & { cpu: NodeJS.CpuUsage }>({ cmd: 'cpu' })
      return { cpuMs: (cpu.user + cpu.system) / 1000, ...r }
    },
    async stop() {
      child.removeAllListeners('exit')
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await call({ cmd: 'exit' })
      await exited
    },
  }
}

export async function startBenchServer(
  dir: string,
  options: { synchronous?: string; trace?: boolean } = {},
): Promise<BenchServer> {
  return forkServer<Command, Omit<Counters, 'cpuMs'>>(
    'server.ts',
    {
      ...(options.synchronous ? { BENCH_SYNCHRONOUS: options.synchronous } : {}),
      BENCH_DB: join(dir, 'bench.db'),
      TWOFOLD_SECRET: generateServerSecret(),
      BENCH_TRACE: options.trace ? '1' : '0',
    },
    'bench server',
  )
}

/**
 * The server side of `forkServer`: answers each command with what `handle` returns (or its
 * error's stack), says `{ ready: port }`, and on `{ cmd: 'exit' }` runs `close`, answers, and
 * ends the process.
 */
export function answerParent<C extends { cmd: string }>(
  port: number,
  handle: (command: C) => Promise<unknown>,
  close: () => Promise<void> | void,
) {
  process.on('message', async (message: C & { id: number }) => {
    try {
      if (message.cmd === 'exit') {
        await close()
        process.send!({ id: message.id, result: null })
        setTimeout(() => process.exit(0), 50)
        return
      }
      process.send!({ id: message.id, result: await handle(message) })
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? error.stack : String(error) })
    }
  })
  process.send!({ ready: port })
}

/** A free TCP port on 127.0.0.1 for a bench server to listen on. */
export function freePort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}
