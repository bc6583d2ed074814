/**
 * Runs the repository's wrangler offline: no metrics, no update check, no Request.cf download.
 * `startDevWorker` serves the Worker in real workerd on a fresh local D1 with the committed
 * migrations applied, on a free port of 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')

export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
}

function spawnWrangler(args: string[], detached = false): ChildProcess {
  return spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  })
}

/** Runs one wrangler command to completion; rejects with its output when it fails. */
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawnWrangler(args)
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.on('error', fail)
    child.on('close', (code) => {
      if (code === 0) done(output)
      else fail(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail()))
    })
  })
}

export interface DevWorker {
  url: string
  secret: string
  /** Everything wrangler printed so far (for failure messages). */
  output: () => string
  stop: () => Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Signals the process group a detached child leads (wrangler, esbuild, workerd). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // Already gone.
  }
}

async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise((r) => child.once('exit', r))
  signalGroup(child, 'SIGTERM')
  if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) {
    signalGroup(child, 'SIGKILL')
    await exited
  }
}

export interface StartDevWorkerOptions {
  /** More `--var` bindings, e.g. DATABASE_URL for remote libSQL. */
  vars?: Record<string, string>
  /** Apply drizzle/ to the local D1 first. @default true */
  migrateD1?: boolean
  /** A local state directory prepared beforehand (removed on stop). @default a fresh one */
  persistTo?: string
  /** TWOFOLD_SECRET. @default 32 random bytes */
  secret?: string
  /** Another Worker's wrangler config. @default the repository's wrangler.toml */
  config?: string
  timeoutMs?: number
  /** Another Worker entry than wrangler.toml's `main` (a test wrapper around it). */
  entry?: string
}

export async function startDevWorker(options: StartDevWorkerOptions = {}): Promise<DevWorker> {
  const { vars = {}, migrateD1 = true, timeoutMs = 90_000 } = options
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), 'twofold-workerd-'))
  const removeState = () => rmSync(persistTo, { recursive: true, force: true })
  if (migrateD1) {
    const migrate = ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]
    if (options.config) migrate.push('--config', options.config)
    await runWrangler(migrate).catch((error) => {
      removeState()
      throw error
    })
  }
  const port = await freePort()
  const secret = options.secret ?? randomBytes(32).toString('base64')
  // --var wins over a developer's .dev.vars; an empty DATABASE_URL keeps the Worker on D1.
  const bindings = { TWOFOLD_SECRET: secret, DATABASE_URL: '', ...vars }
  const child = spawnWrangler(
    [
      'dev',
      ...(options.entry ? [options.entry] : []),
      ...(options.config ? ['--config', options.config] : []),
      '--persist-to',
      persistTo,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      ...Object.entries(bindings).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      '--log-level',
      'log',
      // GET /__scheduled runs the Worker's scheduled handler (the Cron Trigger).
      '--test-scheduled',
    ],
    true,
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))

  // Should the test process end without afterAll, workerd must not outlive it.
  const killOnExit = () => signalGroup(child, 'SIGKILL')
  process.once('exit', killOnExit)

  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    process.off('exit', killOnExit)
    await stopGroup(child)
    removeState()
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })
      if (response.ok) return { url, secret, output: () => output, stop }
    } catch {
      // Not listening yet.
    }
    await sleep(250)
  }
  await stop()
  throw new Error(`wrangler dev did not answer /api/health on ${url}:\n${output}`)
}
