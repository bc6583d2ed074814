import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { Authenticator } from '../../client/types'
import { Field } from '../../primitives/field'
import { useAction } from '../../primitives/hooks'
import { Button } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'

export interface AuthenticatorRowProps {
  authenticator: Authenticator
  onRenamed: (authenticator: Authenticator) => void
  onRemove: (authenticator: Authenticator) => void
}

/** One authenticator: its name (renamed in place), type, dates, and rename and remove. */
export function AuthenticatorRow({ authenticator, onRenamed, onRemove }: AuthenticatorRowProps) {
  const { client, messages, formatDate, errorMessage } = useTwoFactor()
  const m = messages.authenticators
  const { id, name, type, createdAt, lastUsedAt } = authenticator
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(name)
  const [invalid, setInvalid] = useState(false)
  const rename = useAction((next: string) =>
    client.twoFactor.renameAuthenticator(id, { name: next }),
  )
  const row = useRef<HTMLLIElement>(null)
  const wasEditing = useRef(false)

  // Leaving the field (saved or cancelled) puts focus back on this row's Rename button.
  useEffect(() => {
    // Found through the row: Button takes no ref under React 18.
    const button = row.current?.querySelector<HTMLElement>('[data-slot="rename"]')
    if (!editing && wasEditing.current) button?.focus()
    wasEditing.current = editing
  }, [editing])

  const start = () => {
    setDraft(name)
    setInvalid(false)
    rename.setError(null)
    setEditing(true)
  }

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const next = draft.trim()
    if (next.length < 1 || next.length > 64) return setInvalid(true)
    setInvalid(false)
    if (next === name) return setEditing(false)
    const result = await rename.run(next)
    if (!result.ok) return
    setEditing(false)
    onRenamed(result.value.authenticator)
  }

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    setEditing(false)
  }

  const error = invalid ? m.nameInvalid : rename.error ? errorMessage(rename.error) : null

  return (
    <li
      ref={row}
      data-slot="authenticator"
      data-type={type}
      data-state={editing ? 'editing' : 'idle'}
    >
      {editing ? (
        <form data-slot="rename-form" onSubmit={save} noValidate>
          <Field label={m.nameLabel(name)} error={error}>
            <input
              data-slot="input"
              name="name"
              type="text"
              autoComplete="off"
              maxLength={64}
              autoFocus
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={cancelOnEscape}
            />
          </Field>
          <div data-slot="actions">
            <Button onClick={() => setEditing(false)}>{messages.common.cancel}</Button>
            <Button type="submit" variant="primary" pending={rename.pending}>
              {rename.pending ? m.saving : m.save}
            </Button>
          </div>
        </form>
      ) : (
        <span data-slot="authenticator-name">{name}</span>
      )}
      <span data-slot="authenticator-type">{type === 'passkey' ? m.typePasskey : m.typeTotp}</span>
      <span data-slot="authenticator-meta">
        {m.added(formatDate(createdAt))}
        {' · '}
        {lastUsedAt ? m.lastUsed(formatDate(lastUsedAt)) : m.neverUsed}
      </span>
      {!editing && (
        <span data-slot="row-actions">
          <Button data-slot="rename" aria-label={m.renameLabel(name)} onClick={start}>
            {m.rename}
          </Button>
          <Button
            variant="danger"
            aria-label={m.removeLabel(name)}
            onClick={() => onRemove(authenticator)}
          >
            {m.remove}
          </Button>
        </span>
      )}
    </li>
  )
}
