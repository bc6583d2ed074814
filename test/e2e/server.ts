/**
 * Starts the real server the way `npm start` does (api/start.ts: build the demo if needed, then
 * serve API and demo) on a free port and a fresh database in a temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface RunningServer {
  url: string
  dataDir: string
  /** Everything the server printed so far. */
  output: () => string
  stop: () => Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.unref()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The server exited with code ${child.exitCode}:\n${output()}`)
    }
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(
    `The server did not answer /api/health within ${timeoutMs / 1000} s:\n${output()}`,
  )
}

/** The caller's environment without Twofold settings: the server key is generated in dataDir. */
function inheritedEnv() {
  const ours = (name: string) => name.startsWith('TWOFOLD_') || name.startsWith('DATABASE_')
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours(name)))
}

export interface TestServerOptions {
  timeoutMs?: number
  /** The port to listen on. @default a free one */
  port?: number
  /** Extra environment, such as TWOFOLD_TRUSTED_ORIGINS. */
  env?: Record<string, string>
  /**
   * `api/start.ts` (`npm start`: builds the demo if needed) or `api/node.ts` (the same server
   * without the demo build, for tests that bring their own front end).
   */
  entry?: 'api/start.ts' | 'api/node.ts'
}

/** Spawns `node --import tsx api/start.ts` (or `entry`) and waits until it answers. */
export async function startTestServer({
  timeoutMs = 100_000,
  port: given,
  env = {},
  entry = 'api/start.ts',
}: TestServerOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-e2e-'))
  const port = given ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  let log = ''
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...inheritedEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dataDir, 'e2e.db')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const output = () => log

  const stop = async () => {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited(child)
    clearTimeout(timer)
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    await waitForHealth(url, child, output, timeoutMs)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, dataDir, output, stop }
}
