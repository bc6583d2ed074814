/**
 * Packs the package once for the `package` test project (vitest globalSetup): `npm pack` runs
 * `prepack` (tsdown into dist/) and writes twofold-<version>.tgz into a temporary folder, whose
 * path the tests read with `inject('tarball')`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the packed twofold-<version>.tgz. */
    tarball: string
  }
}

/** `npm pack` into `dir`; answers the tarball's path. */
export function pack(dir: string): string {
  try {
    execFileSync('npm', ['pack', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 240_000,
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`npm pack failed:\n${stdout ?? ''}\n${stderr ?? ''}`)
  }
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.tgz'))
  if (!file) throw new Error(`npm pack wrote no tarball into ${dir}`)
  return join(dir, file)
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-pack-'))
  project.provide('tarball', pack(dir))
  return () => rmSync(dir, { recursive: true, force: true })
}
