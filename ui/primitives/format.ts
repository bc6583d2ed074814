/** `m:ss` for a number of seconds (a lockout or a resend wait). */
export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`
}
