import { useId, useState } from 'react'
import { DialogClose } from '../../primitives/dialog'
import { Button, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import type { useSetup } from './use-setup'

/** The intro where the browser supports WebAuthn: an authenticator app or a passkey. */
export function SetupChoice({ wizard }: { wizard: ReturnType<typeof useSetup> }) {
  const { messages } = useTwoFactor()
  const m = messages.setup
  const id = useId()
  const [chosen, setChosen] = useState<'app' | 'passkey'>('app')
  const pending = wizard.status === 'pending'
  const choose = (factor: 'app' | 'passkey') => {
    setChosen(factor)
    void (factor === 'app' ? wizard.start() : wizard.startPasskey())
  }
  return (
    <div data-slot="setup-choice">
      <ul data-slot="setup-options">
        <li>
          <Button
            variant="primary"
            autoFocus
            aria-describedby={`${id}-app`}
            pending={pending && chosen === 'app'}
            disabled={pending}
            onClick={() => choose('app')}
          >
            {pending && chosen === 'app' ? m.starting : m.chooseApp}
          </Button>
          <p data-slot="hint" id={`${id}-app`}>
            {m.chooseAppHint}
          </p>
        </li>
        <li>
          <Button
            aria-describedby={`${id}-passkey`}
            pending={pending && chosen === 'passkey'}
            disabled={pending}
            onClick={() => choose('passkey')}
          >
            {pending && chosen === 'passkey' ? m.passkeyWaiting : m.choosePasskey}
          </Button>
          <p data-slot="hint" id={`${id}-passkey`}>
            {m.choosePasskeyHint}
          </p>
        </li>
      </ul>
      <LiveMessage>{wizard.error}</LiveMessage>
      <div data-slot="actions">
        <DialogClose asChild>
          <Button>{messages.common.cancel}</Button>
        </DialogClose>
      </div>
    </div>
  )
}
