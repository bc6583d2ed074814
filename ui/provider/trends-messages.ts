/** Strings of the trends chart. */
export const trendsMessages = {
  trends: {
    title: 'Two-factor trends',
    range: 'Period',
    rangeOption: (days: number) => `${days} days`,
    summary: (from: number, to: number, days: number) =>
      `Users with two-factor authentication: ${from} → ${to} over ${days} days.`,
    totals: (failed: number, lockouts: number) =>
      `${failed} failed ${failed === 1 ? 'code' : 'codes'}, ` +
      `${lockouts} ${lockouts === 1 ? 'lockout' : 'lockouts'}.`,
    chartLabel: (days: number) =>
      `Chart of the last ${days} days. Use the arrow keys, Home and End to read each day.`,
    empty: 'No two-factor activity in this period yet.',
    caption: (days: number) => `Two-factor figures per day, the last ${days} days`,
    columns: {
      date: 'Day (UTC)',
      twoFactorUsers: 'Users with 2FA',
      enabled: 'Turned on',
      disabled: 'Turned off',
      failedAttempts: 'Failed codes',
      lockouts: 'Lockouts',
      backupCodesUsed: 'Backup codes used',
      emailCodesSent: 'Codes emailed',
    },
  },
}
