/** The measurements, each against the bench server process. */
import { totpAt } from '../../api/lib/totp'
import type { BenchServer } from './child'
import { percentile, runLoad, type Job } from './load'
import { PASSWORD, type SeededUser } from './seed'

const SECOND_STEP = '/api/auth/sign-in/two-factor'
const round = (n: number, digits = 2) => Number(n.toFixed(digits))

async function seed(server: BenchServer, n: number, options: Record<string, unknown> = {}) {
  const users: SeededUser[] = []
  for (let done = 0; done < n; done += 2000) {
    users.push(...(await server.call<SeededUser[]>({ cmd: 'seedUsers', args: { n: Math.min(2000, n - done), ...options } })))
  }
  return users
}

/** Codes are computed just before the run (valid for the current step and its neighbours). */
const totpJobs = (users: SeededUser[]) =>
  Promise.all(
    users.map(async (u): Promise<Job> => ({
      path: SECOND_STEP,
      body: { challengeToken: u.challengeToken, code: await totpAt(u.secret!, Date.now()) },
    })),
  )

/** Runs jobs under load and reads the server's CPU time around the run. */
async function measured(server: BenchServer, jobs: Job[], concurrency: number) {
  const before = await server.cpuMs()
  const result = await runLoad(server.port, jobs, concurrency)
  const after = await server.cpuMs()
  if (result.failed) throw new Error(`${result.failed} requests failed, first: ${result.firstFailure}`)
  return {
    rps: round(result.ok / result.seconds, 0),
    p50: round(percentile(result.latencies, 50)),
    p99: round(percentile(result.latencies, 99)),
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / result.ok, 3),
    statementsPerRequest: round((after.statements - before.statements - 0) / result.ok, 1),
    requests: result.ok,
  }
}

/** Figures 1–3: the second step (TOTP) and its SQL-only ceiling, alternated in rounds. */
export async function secondStep(server: BenchServer, opts: { concurrency: number; perRound: number; rounds: number }) {
  const { concurrency, perRound, rounds } = opts
  const warm = Math.min(600, perRound)
  const real = await seed(server, warm + perRound * rounds)
  const ceil = await seed(server, warm + perRound * rounds, { plainChallengeHash: true })
  const ceilingJobs = ceil.map((u): Job => ({ path: '/bench/ceiling', body: { tokenHash: u.challengeToken } }))
  await measured(server, await totpJobs(real.slice(0, warm)), concurrency)
  await measured(server, ceilingJobs.slice(0, warm), concurrency)
  const realRuns = []
  const ceilingRuns = []
  for (let r = 0; r < rounds; r++) {
    const from = warm + r * perRound
    realRuns.push(await measured(server, await totpJobs(real.slice(from, from + perRound)), concurrency))
    ceilingRuns.push(await measured(server, ceilingJobs.slice(from, from + perRound), concurrency))
  }
  // The median round of each, by throughput.
  const median = <T extends { rps: number }>(runs: T[]) => [...runs].sort((a, b) => a.rps - b.rps)[runs.length >> 1]!
  const signIn = median(realRuns)
  const ceiling = median(ceilingRuns)
  return { signIn, ceiling, ratio: round(signIn.rps / ceiling.rps), concurrency }
}

/** Figure 4: backup-code sign-in p50 with 10 codes and with 1 code on file, alternated. */
export async function backupCodes(server: BenchServer, n: number) {
  const many = await seed(server, n, { totp: true, backupCodes: 10 })
  const one = await seed(server, n, { totp: true, backupCodes: 1 })
  const job = (u: SeededUser): Job => ({ path: SECOND_STEP, body: { challengeToken: u.challengeToken, code: u.backupCodes![0] } })
  const lat = { many: [] as number[], one: [] as number[] }
  const warm = Math.min(20, n >> 2)
  for (let i = 0; i < n; i++) {
    for (const [key, users] of [['many', many], ['one', one]] as const) {
      const result = await runLoad(server.port, [job(users[i]!)], 1)
      if (result.failed) throw new Error(`backup-code sign-in failed: ${result.firstFailure}`)
      if (i >= warm) lat[key].push(result.latencies[0]!)
    }
  }
  for (const l of Object.values(lat)) l.sort((a, b) => a - b)
  const tenCodesP50 = round(percentile(lat.many, 50))
  const oneCodeP50 = round(percentile(lat.one, 50))
  return { tenCodesP50, oneCodeP50, p90: { ten: round(percentile(lat.many, 90)), one: round(percentile(lat.one, 90)) }, samples: lat.one.length }
}

/** Figure 5: the password step (PBKDF2-SHA256, 100k iterations), one at a time. */
export async function passwordStep(server: BenchServer, n: number) {
  const users = await seed(server, n + 3, { challenge: false })
  const jobs = users.map((u): Job => ({ path: '/api/auth/sign-in', body: { email: u.email, password: PASSWORD } }))
  await runLoad(server.port, jobs.slice(0, 3), 1)
  const before = await server.cpuMs()
  const result = await runLoad(server.port, jobs.slice(3), 1)
  const after = await server.cpuMs()
  if (result.failed) throw new Error(`password sign-in failed: ${result.firstFailure}`)
  return {
    p50: round(percentile(result.latencies, 50)),
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / result.ok, 2),
    samples: result.ok,
  }
}

/** Figure 6: the admin listing over a directory of `total` users. */
export async function adminListing(server: BenchServer, total: number, runs: number) {
  const token = await server.call<string>({ cmd: 'seedDirectory', args: { total } })
  const headers = { authorization: `Bearer ${token}` }
  const p50 = async (path: string) => {
    const jobs = (n: number) => Array.from({ length: n }, (): Job => ({ path, headers }))
    await runLoad(server.port, jobs(3), 1)
    const result = await runLoad(server.port, jobs(runs), 1)
    if (result.failed) throw new Error(`${path}: ${result.firstFailure}`)
    return round(percentile(result.latencies, 50))
  }
  const queries = {
    page1: '/api/admin/users?page=1&pageSize=25',
    page2000: '/api/admin/users?page=2000&pageSize=25',
    search: '/api/admin/users?q=thompson421&pageSize=25',
    searchBroad: '/api/admin/users?q=turing&pageSize=25',
    filtered: '/api/admin/users?twoFactor=disabled&page=1000&pageSize=25',
  }
  const out: Record<string, number> = {}
  for (const [name, path] of Object.entries(queries)) out[name] = await p50(path)
  return { users: total, ...out } as { users: number } & Record<keyof typeof queries, number>
}
