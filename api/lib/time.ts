/** Milliseconds since the epoch as the contract's ISO 8601 string; null stays null. */
export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString()
