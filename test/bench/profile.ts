/** Summarizes a V8 CPU profile: self time by function and by package, idle excluded. */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

const where = (url: string) =>
  url
    .replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1')
    .replace(/^.*\/work\/[^/]+\//, '')
    .replace(/^file:\/\//, '')

export function summarizeProfile(file: string, top = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[]
    samples: number[]
    timeDeltas: number[]
  }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame
    if (functionName === '(idle)') return
    const us = profile.timeDeltas[i] ?? 0
    total += us
    const pkg = url ? where(url) : functionName
    const fn =
      `${functionName || '(anonymous)'} ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim()
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
  })
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, share: Number(((100 * us) / total).toFixed(1)) }))
  return {
    busyMs: Math.round(total / 1000),
    byPackage: rank(byPackage),
    byFunction: rank(byFunction),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(summarizeProfile(process.argv[2]!, 30), null, 1))
}
