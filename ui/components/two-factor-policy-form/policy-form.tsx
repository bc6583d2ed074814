import { useId, useState, type FormEvent } from 'react'
import type { Policy } from '../../client/types'
import { cn, useAction, useResource } from '../../primitives/hooks'
import { Button, Checkbox, LiveMessage, Notice, Spinner } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { EnforceOptions, PolicyImpact } from './policy-parts'

export interface TwoFactorPolicyFormProps {
  /** Runs with the saved policy. */
  onSaved?: (policy: Policy) => void
  className?: string
}

/** Parses the grace period field: a whole number of days from 0 to 90, or null. */
export function parseGraceDays(text: string): number | null {
  if (!/^\d{1,2}$/.test(text.trim())) return null
  const days = Number(text)
  return days <= 90 ? days : null
}

/** Who must use 2FA, how long they have, and whether email codes are allowed. */
export function TwoFactorPolicyForm({ onSaved, className }: TwoFactorPolicyFormProps) {
  const { client, messages, errorMessage } = useTwoFactor()
  const m = messages.policy
  const id = useId()
  const policy = useResource(() => client.admin.getPolicy(), [client])
  const [draft, setDraft] = useState<Policy | null>(null)
  const [graceText, setGraceText] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const save = useAction((body: Policy) => client.admin.updatePolicy(body))

  const current = draft ?? policy.data
  if (!current) {
    return (
      <section
        data-slot="two-factor-policy-form"
        data-state={policy.status}
        className={cn('twofold-root', className)}
      >
        <h2 data-slot="title">{m.title}</h2>
        {policy.status === 'error' ? (
          <Notice tone="error">
            {errorMessage(policy.error)}{' '}
            <Button variant="link" onClick={policy.reload}>
              {messages.common.retry}
            </Button>
          </Notice>
        ) : (
          <Spinner label={messages.common.loading} />
        )}
      </section>
    )
  }

  const grace = graceText ?? String(current.gracePeriodDays)
  const graceDays = parseGraceDays(grace)
  const update = (patch: Partial<Policy>) => {
    setDraft({ ...current, ...patch })
    setSaved(false)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (graceDays === null || save.busy) return
    const result = await save.run({ ...current, gracePeriodDays: graceDays })
    if (!result.ok) return
    setDraft(result.value)
    setGraceText(null)
    setSaved(true)
    onSaved?.(result.value)
  }

  const state = save.busy
    ? 'saving'
    : save.error
      ? 'error'
      : graceDays === null
        ? 'invalid'
        : saved
          ? 'saved'
          : 'idle'
  const issues = (save.error as { issues?: Array<{ message: string }> } | null)?.issues
  return (
    <form
      data-slot="two-factor-policy-form"
      data-state={state}
      className={cn('twofold-root', className)}
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 data-slot="title" id={`${id}-title`}>
        {m.title}
      </h2>
      <EnforceOptions value={current.enforce} onChange={(enforce) => update({ enforce })} />
      <div data-slot="field" data-state={graceDays === null ? 'invalid' : 'valid'}>
        <label data-slot="label" htmlFor={`${id}-grace`}>
          {m.grace}
        </label>
        <p data-slot="hint" id={`${id}-grace-hint`}>
          {m.graceHint}
        </p>
        <input
          id={`${id}-grace`}
          data-slot="input"
          type="number"
          inputMode="numeric"
          min={0}
          max={90}
          step={1}
          value={grace}
          onChange={(event) => {
            setGraceText(event.target.value)
            setSaved(false)
          }}
          aria-invalid={graceDays === null || undefined}
          aria-describedby={`${id}-grace-hint ${id}-grace-error`}
        />
        <p data-slot="field-error" id={`${id}-grace-error`}>
          {graceDays === null ? m.graceInvalid : null}
        </p>
      </div>
      <Checkbox
        label={m.emailFallback}
        checked={current.emailFallback}
        onChange={(event) => update({ emailFallback: event.target.checked })}
      />
      <PolicyImpact enforce={current.enforce} />
      <LiveMessage>
        {save.error
          ? [errorMessage(save.error), ...(issues ?? []).map((i) => i.message)].join(' ')
          : null}
      </LiveMessage>
      <LiveMessage tone="success" slot="saved">
        {saved ? m.saved : null}
      </LiveMessage>
      <Button
        type="submit"
        variant="primary"
        disabled={save.busy || graceDays === null}
        aria-busy={save.busy || undefined}
      >
        {save.busy ? m.saving : m.save}
      </Button>
    </form>
  )
}
