import { useTwoFactor } from '../provider/provider'

/** Today: the time; this year: month and day; earlier: the medium date. In local time. */
export function compactDate(iso: string, locale: string | undefined, now = new Date()): string {
  const date = new Date(iso)
  const sameYear = date.getFullYear() === now.getFullYear()
  const sameDay = sameYear && date.toDateString() === now.toDateString()
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { timeStyle: 'short' }
    : sameYear
      ? { month: 'short', day: 'numeric' }
      : { dateStyle: 'medium' }
  return new Intl.DateTimeFormat(locale, options).format(date)
}

/**
 * A date shown compactly; the full date and time show on hover and on keyboard focus (it is a
 * tab stop), and are what screen readers read.
 */
export function CompactDate({ iso }: { iso: string }) {
  const { formatDate, locale } = useTwoFactor()
  const full = formatDate(iso)
  return (
    <time data-slot="compact-date" dateTime={iso} data-full={full} tabIndex={0}>
      <span aria-hidden="true">{compactDate(iso, locale)}</span>
      <span data-slot="visually-hidden">{full}</span>
    </time>
  )
}
