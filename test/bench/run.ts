/**
 * `npm run bench`: what one sign-in costs on this machine, against the floor the database sets.
 * `npm run bench -- --json` prints one JSON line with every figure instead of the table.
 * `--profile` also writes a V8 CPU profile of the server process (kept in the temp dir).
 * `--only=signin,backup,password,admin,weight` runs a subset.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { startBenchServer } from './child'
import { adminListing, backupCodes, passwordStep, secondStep } from './phases'
import { uiKitGzip, workerBundleGzip } from './weight'

const args = process.argv.slice(2)
const json = args.includes('--json')
const profile = args.includes('--profile')
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
const wants = (name: string) => !only || only.includes(name)
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`)
}

const TARGETS = {
  ratio: 0.8,
  cpuMsPerSignIn: 1,
  adminMs: 20,
  workerKiB: 250,
  uiKiB: 40,
}

async function main() {
  const started = Date.now()
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
  const dir = mkdtempSync(join(tmpdir(), 'twofold-bench-'))
  const server = await startBenchServer(dir, { profile })
  const figures: Record<string, any> = { machine }
  try {
    if (wants('admin')) {
      log('admin listing: seeding 100,000 users…')
      figures.adminListing = await adminListing(server, 100_000, 30)
    }
    if (wants('signin')) {
      log('second step and ceiling at concurrency 16…')
      figures.secondStep = await secondStep(server, { concurrency: 16, perRound: 2000, rounds: 3 })
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
    figures.weight = { workerGzip: await workerBundleGzip(dir), uiKitGzip: await uiKitGzip() }
  }
  figures.seconds = Math.round((Date.now() - started) / 1000)
  if (profile) {
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    figures.profile = file ? join(dir, file) : null
  } else rmSync(dir, { recursive: true, force: true })

  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`)
  else process.stdout.write(table(figures))
}

const fmt = (n: number | null | undefined, unit = '') => (n === null || n === undefined ? 'pending' : `${n}${unit}`)
const check = (ok: boolean | null) => (ok === null ? '' : ok ? 'ok' : 'MISSED')

function table(f: Record<string, any>) {
  const rows: [string, string, string, string][] = []
  const s = f.secondStep
  if (s) {
    rows.push(['Second-step sign-ins (TOTP, c=16)', `${s.signIn.rps}/s  p50 ${s.signIn.p50} ms  p99 ${s.signIn.p99} ms`, '', ''])
    rows.push(['Ceiling (same SQL, no crypto)', `${s.ceiling.rps}/s  p50 ${s.ceiling.p50} ms  p99 ${s.ceiling.p99} ms`, '', ''])
    rows.push(['Ratio sign-ins / ceiling', `${s.ratio}`, `>= ${TARGETS.ratio}`, check(s.ratio >= TARGETS.ratio)])
    rows.push(['CPU per second-step sign-in', `${s.signIn.cpuMsPerRequest} ms`, `< ${TARGETS.cpuMsPerSignIn} ms`, check(s.signIn.cpuMsPerRequest < TARGETS.cpuMsPerSignIn)])
    rows.push(['CPU per ceiling request', `${s.ceiling.cpuMsPerRequest} ms`, '', ''])
    rows.push(['SQL statements per request', `${s.signIn.statementsPerRequest} / ceiling ${s.ceiling.statementsPerRequest}`, 'equal', check(s.signIn.statementsPerRequest === s.ceiling.statementsPerRequest)])
  }
  const b = f.backupCodes
  if (b) {
    const same = Math.abs(b.tenCodesP50 - b.oneCodeP50) <= Math.max(0.15 * b.oneCodeP50, 0.2)
    rows.push(['Backup-code sign-in p50, 10 / 1 codes', `${b.tenCodesP50} / ${b.oneCodeP50} ms`, 'same', check(same)])
  }
  const p = f.passwordStep
  if (p) {
    rows.push(['Password step p50 (PBKDF2 100k)', `${p.p50} ms`, '', ''])
    rows.push(['CPU per password sign-in', `${p.cpuMsPerRequest} ms`, '', ''])
  }
  const a = f.adminListing
  if (a) {
    const lim = (ms: number) => check(ms < TARGETS.adminMs)
    rows.push([`Admin users p50, page 1 (${a.users} users)`, `${a.page1} ms`, `< ${TARGETS.adminMs} ms`, lim(a.page1)])
    rows.push(['Admin users p50, page 2,000', `${a.page2000} ms`, `< ${TARGETS.adminMs} ms`, lim(a.page2000)])
    rows.push(['Admin users p50, search ?q=thompson421', `${a.search} ms`, `< ${TARGETS.adminMs} ms`, lim(a.search)])
    rows.push(['  search ?q=turing (12,500 hits)', `${a.searchBroad} ms`, '', ''])
    rows.push(['  ?twoFactor=disabled, page 1,000', `${a.filtered} ms`, '', ''])
  }
  const w = f.weight
  if (w) {
    const k = (x: { kib: number | null }, t: number) => (x.kib === null ? '' : check(x.kib < t))
    rows.push(['Worker bundle, gzip', fmt(w.workerGzip.kib, ' KiB'), `< ${TARGETS.workerKiB} KiB`, k(w.workerGzip, TARGETS.workerKiB)])
    rows.push(['UI kit, gzip, without peer deps', fmt(w.uiKitGzip.kib, ' KiB'), `< ${TARGETS.uiKiB} KiB`, k(w.uiKitGzip, TARGETS.uiKiB)])
  }
  const m = f.machine
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd()
  return [
    `Twofold bench: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}); embedded libSQL file; ${f.seconds} s`,
    '',
    line(['figure', 'measured', 'target', '']),
    ...rows.map(line),
    ...(f.profile ? ['', `server CPU profile: ${f.profile}`] : []),
    '',
  ].join('\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
