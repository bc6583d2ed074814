import { useId, useState, type FormEvent } from 'react'
import type { Policy } from '../../client/types'
import { cn } from '../../primitives/cn'
import { Field } from '../../primitives/field'
import { useAction, useResource } from '../../primitives/hooks'
import { Button, Checkbox, LiveMessage } from '../../primitives/parts'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
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
      <Section data-slot="two-factor-policy-form" data-state={policy.status} className={className}>
        <SectionTitle>{m.title}</SectionTitle>
        <ResourceStatus resource={policy} />
      </Section>
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
    if (graceDays === null || save.pending) return
    const result = await save.run({ ...current, gracePeriodDays: graceDays })
    if (!result.ok) return
    setDraft(result.value)
    setGraceText(null)
    setSaved(true)
    onSaved?.(result.value)
  }

  const state = save.pending
    ? 'pending'
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
      <Field label={m.grace} hint={m.graceHint} error={graceDays === null ? m.graceInvalid : null}>
        <input
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
        />
      </Field>
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
      <LiveMessage tone="success" data-slot="saved">
        {saved ? m.saved : null}
      </LiveMessage>
      <Button type="submit" variant="primary" pending={save.pending} disabled={graceDays === null}>
        {save.pending ? m.saving : m.save}
      </Button>
    </form>
  )
}
