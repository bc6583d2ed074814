/**
 * What the log may say about an error: its code and message and where it was thrown. A failed
 * Drizzle query's own message lists every bound parameter (a search, an emailed code, a hash),
 * so for those only the driver's error (the cause) is described.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : 'non-error value thrown'
  // DrizzleQueryError: "Failed query: …\nparams: …", with the driver's error as its cause.
  const failedQuery = 'params' in error && 'query' in error
  const source = failedQuery && error.cause instanceof Error ? error.cause : error
  const code = (source as { code?: unknown }).code
  const head = failedQuery && source === error ? 'database query failed' : source.message
  const label = typeof code === 'string' && code ? code : source.name
  const where = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
  const message = head.startsWith(`${label}: `) ? head.slice(label.length + 2) : head
  return `${label}: ${message}${where ? `\n${where}` : ''}`
}
