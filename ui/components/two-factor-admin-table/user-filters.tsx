import { Field } from '../../primitives/field'
import { useTwoFactor } from '../../provider/provider'

export interface Filters {
  q: string
  twoFactor: '' | 'enabled' | 'disabled'
  role: '' | 'user' | 'admin'
}

/** Search box and the 2FA-status and role filters. */
export function UserFilters({
  value,
  onChange,
}: {
  value: Filters
  onChange: (next: Filters) => void
}) {
  const { messages } = useTwoFactor()
  const m = messages.admin
  return (
    <div data-slot="filters" role="search">
      <Field label={m.search}>
        <input
          data-slot="input"
          type="search"
          placeholder={m.searchPlaceholder}
          value={value.q}
          onChange={(event) => onChange({ ...value, q: event.target.value })}
        />
      </Field>
      <Field label={m.statusFilter}>
        <select
          data-slot="select"
          value={value.twoFactor}
          onChange={(event) =>
            onChange({ ...value, twoFactor: event.target.value as Filters['twoFactor'] })
          }
        >
          <option value="">{m.any}</option>
          <option value="enabled">{m.statusEnabled}</option>
          <option value="disabled">{m.statusDisabled}</option>
        </select>
      </Field>
      <Field label={m.roleFilter}>
        <select
          data-slot="select"
          value={value.role}
          onChange={(event) => onChange({ ...value, role: event.target.value as Filters['role'] })}
        >
          <option value="">{m.any}</option>
          <option value="user">{m.roleUser}</option>
          <option value="admin">{m.roleAdmin}</option>
        </select>
      </Field>
    </div>
  )
}
