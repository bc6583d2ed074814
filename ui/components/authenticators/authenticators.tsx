import { useEffect, useRef, useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { Authenticator, AuthenticatorType } from '../../client/types'
import { ConfirmDialog } from '../../primitives/confirm-dialog'
import { useResource } from '../../primitives/hooks'
import { Button, LiveMessage } from '../../primitives/parts'
import { passkeysSupported } from '../../primitives/passkey'
import { ResourceStatus } from '../../primitives/resource-status'
import { Section, SectionTitle } from '../../primitives/section'
import { useTwoFactor } from '../../provider/provider'
import { isStepUpCancelled, useStepUp } from '../step-up/use-step-up'
import { AddAuthenticatorDialog } from './add-authenticator-dialog'
import { AuthenticatorRow } from './authenticator-row'

export interface AuthenticatorsProps {
  /** Runs after an authenticator was added, renamed or removed. */
  onChange?: () => void
  className?: string
}

const IDLE = { pending: false, error: null }

/**
 * The user's authenticator apps and passkeys (`GET /api/two-factor/authenticators`): name, type,
 * added, last used; rename in place; remove after a confirmation and, when the session has not
 * verified recently, a {@link StepUpDialog}. With 2FA on, "Add authenticator app" and, where the
 * browser supports WebAuthn, "Add passkey".
 */
export function Authenticators({ onChange, className }: AuthenticatorsProps) {
  const { client, messages, errorMessage, statusVersion } = useTwoFactor()
  const m = messages.authenticators
  const list = useResource(() => client.twoFactor.listAuthenticators(), [client, statusVersion])
  const [target, setTarget] = useState<Authenticator | null>(null)
  const [adding, setAdding] = useState<AuthenticatorType | null>(null)
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null)
  const [removedId, setRemovedId] = useState<string | null>(null)
  const section = useRef<HTMLElement>(null)
  const remove = useStepUp((id: string) => client.twoFactor.removeAuthenticator(id))

  // A server older than the authenticators routes: nothing to show (the rest of the card works).
  const unsupported = isApiError(list.error) && list.error.code === 'NOT_FOUND' && !list.data
  const authenticators = list.data?.authenticators ?? []
  const state = list.status !== 'ready' ? list.status : authenticators.length ? 'ready' : 'empty'

  // The removed row took its buttons along: focus goes on to the first add button.
  useEffect(() => {
    if (!removedId || authenticators.some((each) => each.id === removedId)) return
    setRemovedId(null)
    section.current?.querySelector<HTMLElement>('[data-slot="add-actions"] button')?.focus()
  }, [removedId, authenticators])

  const changed = (text: string) => {
    setNotice({ tone: 'success', text })
    list.reload()
    onChange?.()
  }

  const confirmRemove = async () => {
    const which = target
    if (!which) return
    setTarget(null)
    setNotice(null)
    try {
      await remove(which.id)
      setRemovedId(which.id)
      changed(m.removed(which.name))
    } catch (caught) {
      if (!isStepUpCancelled(caught)) setNotice({ tone: 'error', text: errorMessage(caught) })
    }
  }

  if (unsupported) return null
  return (
    <Section ref={section} data-slot="authenticators" data-state={state} className={className}>
      <SectionTitle level={3}>{m.title}</SectionTitle>
      <p data-slot="description">{m.description}</p>
      <ResourceStatus resource={list} />
      {state === 'empty' && <p data-slot="empty">{m.empty}</p>}
      {authenticators.length > 0 && (
        <ul data-slot="authenticator-list">
          {authenticators.map((authenticator) => (
            <AuthenticatorRow
              key={authenticator.id}
              authenticator={authenticator}
              onRenamed={(renamed) => changed(m.renamed(renamed.name))}
              onRemove={(which) => {
                setNotice(null)
                setTarget(which)
              }}
            />
          ))}
        </ul>
      )}
      <LiveMessage tone={notice?.tone ?? 'success'} data-slot="authenticators-status">
        {notice?.text}
      </LiveMessage>
      {authenticators.length > 0 && (
        <div data-slot="add-actions">
          <Button onClick={() => setAdding('totp')}>{m.addApp}</Button>
          {passkeysSupported() && (
            <Button onClick={() => setAdding('passkey')}>{m.addPasskey}</Button>
          )}
        </div>
      )}
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(next) => !next && setTarget(null)}
        title={m.removeTitle(target?.name ?? '')}
        description={m.removeDescription}
        confirmLabel={m.remove}
        pendingLabel={m.removing}
        action={IDLE}
        onConfirm={() => void confirmRemove()}
        data-slot="remove-authenticator-dialog"
      />
      <AddAuthenticatorDialog
        type={adding}
        onClose={() => setAdding(null)}
        onAdded={(added) => changed(m.addedNotice(added.name))}
      />
    </Section>
  )
}
