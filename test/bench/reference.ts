/**
 * The reference line (issue 14): better-auth's twoFactor second step, `POST
 * /api/auth/two-factor/verify-totp`, measured the way the bench measures Twofold's: its own
 * server process (test/bench/reference-server.ts) on an embedded libSQL file in the bench's temp
 * directory, concurrency 16 over keep-alive HTTP, a warm-up, then rounds of `seconds` each on
 * fresh pending sign-ins, the median round by throughput; the server's own CPU over IPC.
 *
 * Every timed request is a genuine second step: a distinct user with a pending two-factor
 * sign-in (its signed cookie) and the current TOTP code of that user's key, so each one answers
 * 200 with a session; any other answer fails the bench. The first requests of the warm-up come
 * from sign-ins through the real password step; the rest from copies of what it writes.
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { forkServer, type BenchServer, type Counters } from './child'
import { perRequest } from './phases'
import { runLoad, type Job } from './load'
import type { PendingSignIn, ReferenceCommand } from './reference-server'
import { totpCode } from './reference-totp'

const VERIFY_TOTP = '/api/auth/two-factor/verify-totp'
const round = (n: number, digits = 2) => Number(n.toFixed(digits))

/** The installed better-auth's version (its package.json is not among its exports). */
export function betterAuthVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('better-auth'))
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
}

type ReferenceServer = Omit<BenchServer, 'call' | 'cpuMs'> & {
  call<T = any>(command: ReferenceCommand): Promise<T>
  cpuMs(): Promise<Counters & { sessions: number }>
}

/** Starts test/bench/reference-server.ts in a child process, as child.ts starts Twofold's. */
export function startReferenceServer(dir: string): Promise<ReferenceServer> {
  return forkServer<ReferenceCommand, Omit<Counters, 'cpuMs'> & { sessions: number }>(
    'reference-server.ts',
    {
      BENCH_DB: join(dir, 'better-auth.db'),
      BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
    },
    'reference server',
  )
}

/** Codes are computed just before the run (better-auth accepts the step before and after). */
const verifyJobs = (port: number, users: PendingSignIn[]) => {
  const now = Date.now()
  return Promise.all(
    users.map(async (u): Promise<Job> => ({
      path: VERIFY_TOTP,
      body: { code: await totpCode(u.secret, now) },
      // What a browser sends: the two-factor cookie, and its origin on a POST.
      headers: { cookie: u.cookie, origin: `http://127.0.0.1:${port}` },
    })),
  )
}

async function measured(
  server: ReferenceServer,
  jobs: Job[],
  concurrency: number,
  seconds?: number,
) {
  const before = await server.cpuMs()
  const result = await runLoad(server.port, jobs, concurrency, seconds)
  const after = await server.cpuMs()
  if (result.failed || result.ok !== result.sent)
    throw new Error(
      `better-auth reference: ${result.failed} of ${result.sent} second steps did not answer 200, first: ${result.firstFailure}`,
    )
  if (after.sessions - before.sessions !== result.ok)
    throw new Error(
      `better-auth reference: ${result.ok} answers of 200 but ${after.sessions - before.sessions} new sessions`,
    )
  if (seconds && result.sent === jobs.length)
    throw new Error('better-auth reference: ran out of seeded sign-ins: seed more')
  return perRequest(result, before, after)
}

/**
 * better-auth's verify-totp with the parameters of Twofold's second step (`secondStep` in
 * phases.ts): a 400-request warm-up, then `rounds` rounds of `seconds`, each on enough fresh
 * users for three times the warm-up's pace; the median round by throughput. With Twofold's
 * figures (same run), the ratios: Twofold's throughput over better-auth's, and its CPU per step
 * over better-auth's.
 */
export async function betterAuthReference(
  dir: string,
  opts: { concurrency: number; seconds: number; rounds: number },
  twofold?: { rps: number; cpuMsPerRequest: number },
) {
  const { concurrency, seconds, rounds } = opts
  const started = Date.now()
  const server = await startReferenceServer(dir)
  try {
    const warm = 400
    const passwordStep = 8
    const warmUsers = [
      ...(await server.call<PendingSignIn[]>({ cmd: 'signIn', args: { n: passwordStep } })),
      ...(await server.call<PendingSignIn[]>({ cmd: 'seed', args: { n: warm - passwordStep } })),
    ]
    const warmed = await measured(server, await verifyJobs(server.port, warmUsers), concurrency)
    const perRound = Math.ceil(warmed.rps * seconds * 3) + 500
    const runs: Awaited<ReturnType<typeof measured>>[] = []
    for (let r = 0; r < rounds; r++) {
      const users = await server.call<PendingSignIn[]>({ cmd: 'seed', args: { n: perRound } })
      runs.push(await measured(server, await verifyJobs(server.port, users), concurrency, seconds))
    }
    const median = [...runs].sort((a, b) => a.rps - b.rps)[runs.length >> 1]!
    return {
      betterAuth: betterAuthVersion(),
      endpoint: `POST ${VERIFY_TOTP}`,
      ...median,
      concurrency,
      roundsRps: runs.map((r) => r.rps),
      /** What the reference adds to the bench's run (start, setup, warm-up, rounds). */
      seconds: Math.round((Date.now() - started) / 1000),
      ...(twofold
        ? {
            ratio: round(twofold.rps / median.rps),
            cpuRatio: round(twofold.cpuMsPerRequest / median.cpuMsPerRequest),
          }
        : {}),
    }
  } finally {
    await server.stop()
  }
}

/** The table's rows for the reference (test/bench/report.ts). */
export function referenceRows(f: Record<string, any>): [string, string, string, string][] {
  const r = f.reference
  if (!r) return []
  const rows: [string, string, string, string][] = [
    [
      `better-auth ${r.betterAuth} twoFactor verify-totp (reference)`,
      `${r.rps}/s  p50 ${r.p50} ms  p99 ${r.p99} ms`,
      '',
      '',
    ],
    ['  CPU per step', `${r.cpuMsPerRequest} ms`, '', ''],
    [
      '  statements / commits / round trips',
      `${r.statementsPerRequest} / ${r.commitsPerRequest} / ${r.roundTripsPerRequest}`,
      '',
      '',
    ],
  ]
  if (r.ratio !== undefined) {
    rows.push(['Ratio Twofold / better-auth, throughput', `${r.ratio}`, '', ''])
    rows.push(['Ratio Twofold / better-auth, CPU per step', `${r.cpuRatio}`, '', ''])
  }
  return rows
}
