import { useId } from 'react'
import type { Policy } from '../../client/types'
import { useResource } from '../../primitives/hooks'
import { useTwoFactor } from '../../provider/provider'

type Enforce = Policy['enforce']

/** The three enforcement levels as a radio group. */
export function EnforceOptions({
  value,
  onChange,
}: {
  value: Enforce
  onChange: (next: Enforce) => void
}) {
  const { messages } = useTwoFactor()
  const m = messages.policy
  const id = useId()
  const options: Array<[Enforce, string, string]> = [
    ['off', m.off, m.offHint],
    ['admins', m.admins, m.adminsHint],
    ['all', m.all, m.allHint],
  ]
  return (
    <fieldset data-slot="enforce">
      <legend data-slot="legend">{m.enforce}</legend>
      {options.map(([option, label, hint]) => (
        <div key={option} data-slot="radio" data-state={value === option ? 'checked' : 'unchecked'}>
          <input
            type="radio"
            id={`${id}-${option}`}
            name={`${id}-enforce`}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
            aria-describedby={`${id}-${option}-hint`}
          />
          <label htmlFor={`${id}-${option}`}>{label}</label>
          <span data-slot="hint" id={`${id}-${option}-hint`}>
            {hint}
          </span>
        </div>
      ))}
    </fieldset>
  )
}

/** How many users the chosen level would newly require to set up 2FA. */
export function PolicyImpact({ enforce }: { enforce: Enforce }) {
  const { client, messages } = useTwoFactor()
  const m = messages.policy
  const counts = useResource(async () => {
    const [admins, everyone] = await Promise.all([
      client.admin.listUsers({ role: 'admin', twoFactor: 'disabled', pageSize: 1 }),
      client.admin.listUsers({ twoFactor: 'disabled', pageSize: 1 }),
    ])
    return { admins: admins.total, all: everyone.total }
  }, [client])

  const text =
    enforce === 'off'
      ? m.impactNone
      : counts.data
        ? m.impact(counts.data[enforce])
        : counts.status === 'loading'
          ? m.impactLoading
          : null
  return (
    <p role="status" data-slot="impact" data-state={enforce}>
      {text}
    </p>
  )
}
