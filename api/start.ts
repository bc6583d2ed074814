/**
 * `npm start`: builds the demo when demo/dist is missing or older than its sources (demo/, the
 * kit in ui/ and shared/), then serves the API and the demo on one port (./node).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
const DEMO = join(ROOT, 'demo')
const DEMO_INDEX = join(DEMO, 'dist', 'index.html')
/** Folders whose files the demo build is made from. */
const SOURCES = [DEMO, join(ROOT, 'ui'), join(ROOT, 'shared')]
const SKIPPED = new Set(['dist', 'node_modules'])

/** The newest modification time of the files under `dir`, skipping build output and dot files. */
function newestChange(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue
    const path = join(dir, entry.name)
    const time = entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs
    newest = Math.max(newest, time)
  }
  return newest
}

/** Whether demo/dist/index.html is missing or older than the newest file in demo/ or ui/. */
export function demoBuildIsStale(): boolean {
  if (!existsSync(DEMO_INDEX)) return true
  const built = statSync(DEMO_INDEX).mtimeMs
  return SOURCES.some((dir) => newestChange(dir) > built)
}

/** Builds the demo with Vite (demo/vite.config.ts) into demo/dist. */
export async function buildDemo(): Promise<void> {
  const { build } = await import('vite')
  const started = performance.now()
  await build({ configFile: join(DEMO, 'vite.config.ts'), logLevel: 'warn' })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`[twofold] built the demo into ${join('demo', 'dist')} in ${seconds} s`)
}

/** Builds the demo unless its build is up to date; answers whether it built. */
export async function buildDemoIfNeeded(): Promise<boolean> {
  if (!demoBuildIsStale()) return false
  console.log('[twofold] building the demo (demo/dist is missing or older than demo/ or ui/)…')
  await buildDemo()
  return true
}

async function main() {
  // Loading the API takes about as long as the build: do both at once.
  const node = import('./node')
  node.catch(() => {}) // awaited below; keeps a failure from being "unhandled" meanwhile
  await buildDemoIfNeeded()
  const { startServer } = await node
  await startServer()
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exit(1)
  })
}
