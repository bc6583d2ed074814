/**
 * `npm run bench`: what one sign-in costs on this machine, against the floor the database sets.
 * `npm run bench -- --json` prints one JSON line with every figure instead of the table.
 * `--profile` also profiles the server during one sign-in round (profile kept in the temp dir).
 * `--synchronous=normal` runs the server's database with that pragma (exploration only).
 * `--only=signin,reference,backup,password,admin,daily,weight` runs a subset (`reference`:
 * better-auth's twoFactor second step in its own server process, test/bench/reference.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { startBenchServer } from './child'
import { summarizeProfile } from './profile'
import { table, TARGETS } from './report'
import { adminListing, backupCodes, dailyStats, passwordStep, secondStep } from './phases'
import { betterAuthReference } from './reference'
import { distEntriesGzip, uiKitGzip, workerBundleGzip } from './weight'

const args = process.argv.slice(2)
const json = args.includes('--json')
const profile = args.includes('--profile')
const synchronous = args.find((a) => a.startsWith('--synchronous='))?.split('=')[1]
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const wants = (name: string) => !only || only.includes(name)
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`)
}

async function main() {
  const started = Date.now()
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
  }
  const dir = mkdtempSync(join(tmpdir(), 'twofold-bench-'))
  const server = await startBenchServer(dir, { synchronous })
  const figures: Record<string, any> = {
    machine,
    database: `embedded libSQL file in ${tmpdir()}, WAL, synchronous=${synchronous?.toUpperCase() ?? 'FULL (libSQL default)'}`,
    targets: TARGETS,
  }
  const profileFile = profile ? join(dir, 'second-step.cpuprofile') : undefined
  try {
    if (wants('admin')) {
      log('admin listing: seeding 100,000 users…')
      figures.adminListing = await adminListing(server, 100_000, 30)
    }
    if (wants('daily')) {
      log('daily stats: seeding 1,000,000 audit events…')
      figures.dailyStats = await dailyStats(server, {
        users: 100_000,
        events: 1_000_000,
        runs: 30,
        directorySeeded: wants('admin'),
      })
    }
    if (wants('signin')) {
      log('second step and ceiling at concurrency 16…')
      figures.secondStep = await secondStep(server, {
        concurrency: 16,
        seconds: 4,
        rounds: 3,
        profileFile,
      })
    }
    if (wants('reference')) {
      log('better-auth twoFactor verify-totp (reference) at concurrency 16…')
      const rounds = { concurrency: 16, seconds: 4, rounds: 3 }
      figures.reference = await betterAuthReference(dir, rounds, figures.secondStep?.signIn)
    }
    if (wants('backup')) {
      log('backup codes…')
      figures.backupCodes = await backupCodes(server, 120)
    }
    if (wants('password')) {
      log('password step…')
      figures.passwordStep = await passwordStep(server, 25)
    }
  } finally {
    await server.stop()
  }
  if (wants('weight')) {
    log('weight…')
    figures.weight = {
      workerGzip: await workerBundleGzip(dir),
      uiKitGzip: await uiKitGzip(),
      dist: await distEntriesGzip(),
    }
  }
  figures.seconds = Math.round((Date.now() - started) / 1000)
  if (profileFile && existsSync(profileFile))
    figures.profile = { file: profileFile, ...summarizeProfile(profileFile) }
  else rmSync(dir, { recursive: true, force: true })

  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`)
  else process.stdout.write(table(figures))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
