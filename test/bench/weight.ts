/**
 * Figure 7: shipped weight. The Worker bundle comes from test/workerd/bundle-size.ts when it
 * exists, else from `wrangler deploy --dry-run`; the UI kit only from test/bench/ui-weight.ts.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = resolve(import.meta.dirname, '../..')
const kib = (bytes: number) => Number((bytes / 1024).toFixed(1))

export interface Weight {
  kib: number | null
  source: string
}

export async function workerBundleGzip(tmp: string): Promise<Weight> {
  const helper = join(root, 'test/workerd/bundle-size.ts')
  if (existsSync(helper)) {
    const mod = await import(pathToFileURL(helper).href)
    if (typeof mod.workerBundleGzipBytes === 'function') {
      return { kib: kib(await mod.workerBundleGzipBytes()), source: 'test/workerd/bundle-size.ts' }
    }
  }
  const out = join(tmp, 'worker-dist')
  mkdirSync(out, { recursive: true })
  const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    timeout: 120_000,
  })
  if (run.status !== 0) return { kib: null, source: `wrangler dry-run failed: ${(run.stderr || run.stdout).slice(-200)}` }
  let bytes = 0
  for (const file of readdirSync(out)) {
    if (/\.(m?js|wasm)$/.test(file)) bytes += gzipSync(readFileSync(join(out, file))).length
  }
  return { kib: kib(bytes), source: 'wrangler deploy --dry-run, gzip' }
}

/** Reads whichever byte count test/bench/ui-weight.ts exports; null ("pending") without it. */
export async function uiKitGzip(): Promise<Weight> {
  const helper = join(import.meta.dirname, 'ui-weight.ts')
  if (!existsSync(helper)) return { kib: null, source: 'pending (test/bench/ui-weight.ts not written yet)' }
  const mod: Record<string, unknown> = await import(pathToFileURL(helper).href)
  const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function')
  const name = names.find((k) => /gzip.*bytes|bytes/i.test(k)) ?? names.find((k) => /kib/i.test(k)) ?? names[0]
  if (!name) return { kib: null, source: 'pending (ui-weight.ts exports no function)' }
  const value: unknown = await (mod[name] as () => unknown)()
  const n = typeof value === 'number' ? value : (value as { gzipBytes?: number; bytes?: number })?.gzipBytes ?? (value as { bytes?: number })?.bytes
  if (typeof n !== 'number') return { kib: null, source: `pending (${name}() gave no number)` }
  return { kib: /kib/i.test(name) ? Number(n.toFixed(1)) : kib(n), source: `test/bench/ui-weight.ts ${name}()` }
}
