/**
 * The published package (`npm pack` runs it as `prepack`): `twofold/react` from ui/index.ts,
 * `twofold/server` from api/server.ts, each an ES module with its .d.ts, and
 * `twofold/styles.css` (ui/styles.css with its @imports inlined). Dependencies and peers stay
 * external, so the kit's files hold only the kit (and shared/error-codes.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { defineConfig } from 'tsdown'

const root = import.meta.dirname

/** ui/styles.css with each `@import './x.css';` replaced by that file's text. */
export function inlineCss(file: string): string {
  return readFileSync(file, 'utf8').replace(
    /^@import\s+['"](.+?)['"];\s*$/gm,
    (_line, path: string) => inlineCss(resolve(dirname(file), path)).trimEnd(),
  )
}

export default defineConfig({
  entry: { react: 'ui/index.ts', server: 'api/server.ts' },
  outDir: 'dist',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  fixedExtension: false,
  // `migrate` imports node:url lazily; everything else is Web-standard, so Workers load it too.
  deps: { neverBundle: [/^node:/] },
  dts: { tsconfig: 'tsconfig.json' },
  sourcemap: false,
  // JSDoc lives in the .d.ts files, where editors read it; the JavaScript ships without it (legal
  // and /*#__PURE__*/ annotations stay, so apps' bundlers can still drop what they don't use).
  outputOptions: { comments: { legal: true, annotation: true, jsdoc: false } },
  clean: true,
  // The kit runs in the browser: React Server Component frameworks need the directive.
  banner: ({ fileName }) => (fileName.startsWith('react.') ? { js: "'use client'" } : undefined),
  hooks: {
    'build:done': () => {
      writeFileSync(join(root, 'dist', 'styles.css'), inlineCss(join(root, 'ui', 'styles.css')))
    },
  },
})
