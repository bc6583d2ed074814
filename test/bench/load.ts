/**
 * A small closed-loop HTTP load generator: `concurrency` workers over keep-alive sockets, each
 * sending the next prepared request as soon as its previous one is answered.
 */
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

export interface Job {
  method?: 'GET' | 'POST'
  path: string
  body?: unknown
  headers?: Record<string, string>
}

export interface LoadResult {
  ok: number
  failed: number
  seconds: number
  /** Latencies of the successful requests, in ms, sorted. */
  latencies: number[]
  firstFailure?: string
  /** How many of the jobs were sent. */
  sent: number
}

const agents = new Map<number, Agent>()
const agentFor = (concurrency: number) => {
  let agent = agents.get(concurrency)
  if (!agent)
    agents.set(concurrency, (agent = new Agent({ keepAlive: true, maxSockets: concurrency })))
  return agent
}

export function send(port: number, job: Job, agent = agentFor(1)) {
  const body = job.body === undefined ? undefined : JSON.stringify(job.body)
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: job.method ?? (body ? 'POST' : 'GET'),
        path: job.path,
        agent,
        headers: {
          ...(body
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
          ...job.headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Sends every job once, `concurrency` at a time (or until `seconds` have passed, when given);
 * 200 counts as success.
 */
export async function runLoad(
  port: number,
  jobs: Job[],
  concurrency: number,
  seconds = Infinity,
): Promise<LoadResult> {
  const agent = agentFor(concurrency)
  const latencies: number[] = []
  let failed = 0
  let firstFailure: string | undefined
  let next = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  const worker = async () => {
    while (next < jobs.length && performance.now() < deadline) {
      const job = jobs[next++]!
      const t0 = performance.now()
      const res = await send(port, job, agent)
      const ms = performance.now() - t0
      if (res.status === 200) latencies.push(ms)
      else {
        failed++
        firstFailure ??= `${res.status} ${res.text.slice(0, 200)}`
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { ok: latencies.length, failed, seconds: elapsed, latencies, firstFailure, sent: next }
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN
