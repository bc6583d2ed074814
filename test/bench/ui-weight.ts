/**
 * Weight of the React kit as a host app would ship it: `ui/index.ts` bundled and minified with
 * esbuild, its peer libraries left out, plus `ui/styles.css`, each gzipped. The weight test and
 * the benchmark both call {@link uiGzipBytes}. Run directly: `npx tsx test/bench/ui-weight.ts`.
 *
 * {@link distEntry} weighs what the package ships instead: one entry of the built `dist/`
 * (`npm run build`) with the chunks it imports, as published (not minified), gzipped.
 */
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Packages the host app brings; they do not count toward the kit's weight. */
export const UI_EXTERNALS = [
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  '@radix-ui/*',
  'qrcode',
  'input-otp',
  'hono',
  'hono/*',
]

export interface UiBundle {
  js: Uint8Array
  css: Uint8Array
  /** Source files that went into the JavaScript bundle, relative to the repository root. */
  inputs: string[]
}

/** Bundles and minifies the kit's JavaScript and CSS in memory. */
export async function bundleUi(): Promise<UiBundle> {
  const [script, styles] = await Promise.all([
    build({
      absWorkingDir: root,
      entryPoints: ['ui/index.ts'],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      external: UI_EXTERNALS,
      metafile: true,
      write: false,
      logLevel: 'silent',
    }),
    build({
      absWorkingDir: root,
      entryPoints: ['ui/styles.css'],
      bundle: true,
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
  ])
  return {
    js: script.outputFiles[0].contents,
    css: styles.outputFiles[0].contents,
    inputs: Object.keys(script.metafile.inputs),
  }
}

export interface UiWeight {
  /** gzip bytes of the minified JavaScript. */
  js: number
  /** gzip bytes of the minified CSS. */
  css: number
  total: number
}

export async function measureUiWeight(): Promise<UiWeight> {
  const bundle = await bundleUi()
  const js = gzipSync(bundle.js, { level: 9 }).length
  const css = gzipSync(bundle.css, { level: 9 }).length
  return { js, css, total: js + css }
}

/** gzip bytes of the kit (JavaScript plus CSS). */
export async function uiGzipBytes(): Promise<number> {
  return (await measureUiWeight()).total
}

export interface DistEntry {
  /** The entry and the chunks it imports, relative to dist/. */
  files: string[]
  /** Packages it imports (the package's dependencies and peers). */
  packages: string[]
  /** gzip bytes of those files, each compressed on its own. */
  gzip: number
}

const IMPORT =
  /(?:^|[\s;}])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** One entry of a built dist/ (`react.js`, `server.js`, `styles.css`) with what it imports. */
export function distEntry(dist: string, entry: string): DistEntry {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    const name = relative(dist, file)
    if (files.has(name)) return
    files.add(name)
    if (!file.endsWith('.js')) return
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else packages.add(specifier)
    }
  }
  visit(join(dist, entry))
  let gzip = 0
  for (const name of files) gzip += gzipSync(readFileSync(join(dist, name)), { level: 9 }).length
  return { files: [...files].sort(), packages: [...packages].sort(), gzip }
}

/** gzip bytes of the published entries in `dist` (default: the repository's dist/). */
export function distGzipBytes(dist = join(root, 'dist')) {
  const react = distEntry(dist, 'react.js').gzip
  const styles = distEntry(dist, 'styles.css').gzip
  return { react, styles, kit: react + styles, server: distEntry(dist, 'server.js').gzip }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const weight = await measureUiWeight()
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  console.log(`ui gzip: js ${kib(weight.js)}, css ${kib(weight.css)}, total ${kib(weight.total)}`)
}
