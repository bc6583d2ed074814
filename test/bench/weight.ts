/**
 * Figure 7: shipped weight. The Worker bundle comes from test/workerd/bundle-size.ts when it
 * exists, else from `wrangler deploy --dry-run`; the UI kit only from test/bench/ui-weight.ts;
 * the published entries from a fresh `npm run build` (tsdown into dist/).
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
  if (run.status !== 0)
    return {
      kib: null,
      source: `wrangler dry-run failed: ${(run.stderr || run.stdout).slice(-200)}`,
    }
  let bytes = 0
  for (const file of readdirSync(out)) {
    if (/\.(m?js|wasm)$/.test(file)) bytes += gzipSync(readFileSync(join(out, file))).length
  }
  return { kib: kib(bytes), source: 'wrangler deploy --dry-run, gzip' }
}

/** The UI kit from test/bench/ui-weight.ts (`uiGzipBytes()`); "pending" until it exists. */
export async function uiKitGzip(): Promise<Weight> {
  const helper = join(import.meta.dirname, 'ui-weight.ts')
  if (!existsSync(helper))
    return { kib: null, source: 'pending: test/bench/ui-weight.ts not written yet' }
  const mod = (await import(pathToFileURL(helper).href)) as { uiGzipBytes?: () => Promise<number> }
  if (typeof mod.uiGzipBytes !== 'function')
    return { kib: null, source: 'pending: no uiGzipBytes() export' }
  return { kib: kib(await mod.uiGzipBytes()), source: 'test/bench/ui-weight.ts uiGzipBytes()' }
}

export interface DistWeights {
  /** `twofold/react` with the chunks it imports, as published (not minified), gzip. */
  react: Weight
  /** `twofold/styles.css`, gzip. */
  styles: Weight
  /** `twofold/server` with its chunks, gzip. */
  server: Weight
}

/** Builds the package (tsdown, as `prepack` does) and weighs its dist/ entries. */
export async function distEntriesGzip(): Promise<DistWeights> {
  const build = spawnSync(join(root, 'node_modules/.bin/tsdown'), ['--log-level', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 180_000,
  })
  if (build.status !== 0) {
    const failed = {
      kib: null,
      source: `tsdown failed: ${(build.stderr || build.stdout).slice(-200)}`,
    }
    return { react: failed, styles: failed, server: failed }
  }
  const { distGzipBytes } = await import('./ui-weight')
  const bytes = distGzipBytes(join(root, 'dist'))
  const source = 'dist/ built by tsdown, test/bench/ui-weight.ts distGzipBytes()'
  return {
    react: { kib: kib(bytes.react), source },
    styles: { kib: kib(bytes.styles), source },
    server: { kib: kib(bytes.server), source },
  }
}
