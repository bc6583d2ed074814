/** The measurements, each against the bench server process. */
import { totpAt } from '../../api/lib/totp'
import type { BenchServer, Counters } from './child'
import { percentile, runLoad, send, type Job } from './load'
import { PASSWORD, type SeededUser } from './seed'

const SECOND_STEP = '/api/auth/sign-in/two-factor'
const round = (n: number, digits = 2) => Number(n.toFixed(digits))

async function seed(server: BenchServer, n: number, options: Record<string, unknown> = {}) {
  const users: SeededUser[] = []
  for (let done = 0; done < n; done += 2000) {
    users.push(
      ...(await server.call<SeededUser[]>({
        cmd: 'seedUsers',
        args: { n: Math.min(2000, n - done), ...options },
      })),
    )
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
async function measured(server: BenchServer, jobs: Job[], concurrency: number, seconds?: number) {
  const before = await server.cpuMs()
  const result = await runLoad(server.port, jobs, concurrency, seconds)
  const after = await server.cpuMs()
  if (result.failed)
    throw new Error(`${result.failed} requests failed, first: ${result.firstFailure}`)
  if (seconds && result.sent === jobs.length)
    throw new Error('ran out of seeded challenges: seed more')
  return perRequest(result, before, after)
}

/** A load run's rate and latencies, and the server's CPU and counters per request. */
export function perRequest(
  result: Awaited<ReturnType<typeof runLoad>>,
  before: Omit<Counters, 'pending'>,
  after: Omit<Counters, 'pending'>,
) {
  return {
    rps: round(result.ok / result.seconds, 0),
    p50: round(percentile(result.latencies, 50)),
    p99: round(percentile(result.latencies, 99)),
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / result.ok, 3),
    statementsPerRequest: round((after.statements - before.statements) / result.ok, 1),
    roundTripsPerRequest: round((after.roundTrips - before.roundTrips) / result.ok, 1),
    commitsPerRequest: round((after.commits - before.commits) / result.ok, 1),
    requests: result.ok,
  }
}

/**
 * Figures 1–3: the second step (TOTP), the 3-statement ceiling (SELECT + UPDATE + INSERT, no
 * crypto) and the same-SQL ceiling (the step's own statements, no crypto), alternated for
 * `rounds` rounds of `seconds` each after a warm-up; the median round of each by throughput.
 */
export async function secondStep(
  server: BenchServer,
  opts: { concurrency: number; seconds: number; rounds: number; profileFile?: string },
) {
  const { concurrency, seconds, rounds, profileFile } = opts
  const warm = 400
  const ceilingJobs = (path: string) => (users: SeededUser[]) =>
    users.map((u): Job => ({ path, body: { tokenHash: u.challengeToken } }))
  const kinds = {
    signIn: { seed: {}, jobs: totpJobs },
    ceiling3: { seed: { plainChallengeHash: true }, jobs: ceilingJobs('/bench/ceiling3') },
    sameSql: { seed: { plainChallengeHash: true }, jobs: ceilingJobs('/bench/ceiling') },
  }
  type Kind = keyof typeof kinds
  const names = Object.keys(kinds) as Kind[]
  let fastest = 0
  for (const kind of names) {
    const { seed: options, jobs } = kinds[kind]
    const warmJobs = await jobs(await seed(server, warm, options))
    const warmed = await measured(server, warmJobs, concurrency)
    fastest = Math.max(fastest, warmed.rps)
  }
  // Enough fresh users for a round at three times the warm-up's pace (the warm-up is cold).
  const perRound = Math.ceil(fastest * seconds * 3) + 500
  const runs = { signIn: [], ceiling3: [], sameSql: [] } as Record<
    Kind,
    Awaited<ReturnType<typeof measured>>[]
  >
  for (let r = 0; r < rounds; r++) {
    for (const kind of names) {
      const { seed: options, jobs: toJobs } = kinds[kind]
      const jobs = await toJobs(await seed(server, perRound, options))
      const profiling = profileFile && r === 0 && kind === 'signIn'
      if (profiling) await server.call({ cmd: 'profile', args: {} })
      runs[kind].push(await measured(server, jobs, concurrency, seconds))
      if (profiling) await server.call({ cmd: 'profile', args: { file: profileFile } })
    }
  }
  const median = <T extends { rps: number }>(list: T[]) =>
    [...list].sort((a, b) => a.rps - b.rps)[list.length >> 1]!
  const signIn = median(runs.signIn)
  const ceiling3 = median(runs.ceiling3)
  const ceiling = median(runs.sameSql)
  return {
    signIn,
    ceiling3,
    ceiling,
    ratio: round(signIn.rps / ceiling3.rps),
    ratioSameSql: round(signIn.rps / ceiling.rps),
    appCpuMsPerSignIn: round(signIn.cpuMsPerRequest - ceiling.cpuMsPerRequest, 3),
    concurrency,
    roundsRps: {
      signIn: runs.signIn.map((r) => r.rps),
      ceiling3: runs.ceiling3.map((r) => r.rps),
      sameSql: runs.sameSql.map((r) => r.rps),
    },
  }
}

/** Figure 4: backup-code sign-in p50 with 10 codes and with 1 code on file, alternated. */
export async function backupCodes(server: BenchServer, n: number) {
  const many = await seed(server, n, { totp: true, backupCodes: 10 })
  const one = await seed(server, n, { totp: true, backupCodes: 1 })
  const job = (u: SeededUser): Job => ({
    path: SECOND_STEP,
    body: { challengeToken: u.challengeToken, code: u.backupCodes![0] },
  })
  const lat = { many: [] as number[], one: [] as number[] }
  const warm = Math.min(20, n >> 2)
  for (let i = 0; i < n; i++) {
    for (const [key, users] of [
      ['many', many],
      ['one', one],
    ] as const) {
      const result = await runLoad(server.port, [job(users[i]!)], 1)
      if (result.failed) throw new Error(`backup-code sign-in failed: ${result.firstFailure}`)
      if (i >= warm) lat[key].push(result.latencies[0]!)
    }
  }
  for (const l of Object.values(lat)) l.sort((a, b) => a - b)
  const tenCodesP50 = round(percentile(lat.many, 50))
  const oneCodeP50 = round(percentile(lat.one, 50))
  return {
    tenCodesP50,
    oneCodeP50,
    p90: { ten: round(percentile(lat.many, 90)), one: round(percentile(lat.one, 90)) },
    samples: lat.one.length,
  }
}

/** Figure 5: the password step (PBKDF2-SHA256, 100k iterations), one at a time. */
export async function passwordStep(server: BenchServer, n: number) {
  const users = await seed(server, n + 3, { challenge: false })
  const jobs = users.map((u): Job => ({
    path: '/api/auth/sign-in',
    body: { email: u.email, password: PASSWORD },
  }))
  await runLoad(server.port, jobs.slice(0, 3), 1)
  const before = await server.cpuMs()
  const result = await runLoad(server.port, jobs.slice(3), 1)
  const after = await server.cpuMs()
  if (result.failed) throw new Error(`password sign-in failed: ${result.firstFailure}`)
  const per = (n: number) => round(n / result.ok, 1)
  return {
    p50: round(percentile(result.latencies, 50)),
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / result.ok, 2),
    statementsPerRequest: per(after.statements - before.statements),
    roundTripsPerRequest: per(after.roundTrips - before.roundTrips),
    commitsPerRequest: per(after.commits - before.commits),
    samples: result.ok,
  }
}

/** Figure 6: the admin listing over a directory of `total` users (p50 of sequential calls). */
export async function adminListing(server: BenchServer, total: number, runs: number) {
  const token = await server.call<string>({ cmd: 'seedDirectory', args: { total } })
  const headers = { authorization: `Bearer ${token}` }
  const fragments = { search: 'thompson421', searchBroad: 'turing' }
  const queries = {
    page1: 'page=1&pageSize=25',
    page2000: 'page=2000&pageSize=25',
    search: `q=${fragments.search}&pageSize=25`,
    searchBroad: `q=${fragments.searchBroad}&pageSize=25`,
    filtered: 'twoFactor=disabled&page=1000&pageSize=25',
  }
  const p50 = {} as Record<keyof typeof queries, number>
  const hits = {} as Record<keyof typeof queries, number>
  for (const [name, query] of Object.entries(queries) as [keyof typeof queries, string][]) {
    const job: Job = { path: `/api/admin/users?${query}`, headers }
    const first = await send(server.port, job)
    if (first.status !== 200)
      throw new Error(`${job.path}: ${first.status} ${first.text.slice(0, 200)}`)
    const body = JSON.parse(first.text) as { total: number; users: unknown[] }
    if (body.users.length === 0) throw new Error(`${job.path}: empty page`)
    hits[name] = body.total
    await runLoad(server.port, [job, job], 1)
    const result = await runLoad(
      server.port,
      Array.from({ length: runs }, () => job),
      1,
    )
    if (result.failed) throw new Error(`${job.path}: ${result.firstFailure}`)
    p50[name] = round(percentile(result.latencies, 50))
  }
  return { users: total, ...p50, hits, fragments }
}

/**
 * Figure 7: `GET /api/admin/stats/daily` over `events` audit events spread over a year and a
 * directory of `users` users (seeded here unless the admin listing already did), p50 of
 * sequential calls for each range the chart offers, and the longest one the API allows.
 */
export async function dailyStats(
  server: BenchServer,
  opts: { users: number; events: number; runs: number; directorySeeded: boolean },
) {
  const { users, events, runs } = opts
  if (!opts.directorySeeded) await server.call({ cmd: 'seedDirectory', args: { total: users } })
  await server.call({ cmd: 'seedAuditLog', args: { total: events, days: 365, users } })
  const token = await server.call<string>({ cmd: 'seedAdminSession' })
  const headers = { authorization: `Bearer ${token}` }
  const p50 = {} as Record<'days7' | 'days30' | 'days90' | 'days365', number>
  for (const days of [7, 30, 90, 365] as const) {
    const job: Job = { path: `/api/admin/stats/daily?days=${days}`, headers }
    const first = await send(server.port, job)
    if (first.status !== 200)
      throw new Error(`${job.path}: ${first.status} ${first.text.slice(0, 200)}`)
    const body = JSON.parse(first.text) as { days: { failedAttempts: number }[] }
    if (body.days.length !== days || body.days.every((d) => d.failedAttempts === 0))
      throw new Error(`${job.path}: not ${days} days of events`)
    await runLoad(server.port, [job, job], 1)
    const result = await runLoad(
      server.port,
      Array.from({ length: runs }, () => job),
      1,
    )
    if (result.failed) throw new Error(`${job.path}: ${result.firstFailure}`)
    p50[`days${days}`] = round(percentile(result.latencies, 50))
  }
  return { users, events, ...p50 }
}
