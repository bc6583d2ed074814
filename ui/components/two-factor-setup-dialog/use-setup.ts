import { useCallback, useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { EnabledResponse, SetupResponse } from '../../client/types'
import { createPasskey, passkeysSupported } from '../../primitives/passkey'
import { useTwoFactor } from '../../provider/provider'

export type SetupStep = 'intro' | 'scan' | 'confirm' | 'codes' | 'done'
export type SetupStatus = 'idle' | 'pending' | 'error'

/**
 * The setup wizard's state machine: start, scan, confirm with a code, save codes, done; or a
 * passkey: the browser's prompt, then the codes (when the answer carries them) and done.
 */
export function useSetup(onEnabled?: (result: EnabledResponse) => void) {
  const { client, messages, errorMessage } = useTwoFactor()
  const [step, setStep] = useState<SetupStep>('intro')
  const [status, setStatus] = useState<SetupStatus>('idle')
  const [error, setError] = useState<string | null>(null)
  const [setup, setSetup] = useState<SetupResponse | null>(null)
  const [backupCodes, setBackupCodes] = useState<string[]>([])
  const [saved, setSaved] = useState(false)
  /** How many codes were refused; the confirm step clears its field on each. */
  const [rejections, setRejections] = useState(0)
  /** The factor being set up: the done step's words depend on it. */
  const [factor, setFactor] = useState<'app' | 'passkey'>('app')

  const go = useCallback((next: SetupStep) => {
    setStep(next)
    setStatus('idle')
    setError(null)
  }, [])

  const fail = useCallback(
    (caught: unknown) => {
      setStatus('error')
      setError(errorMessage(caught))
    },
    [errorMessage],
  )

  const start = useCallback(async () => {
    setFactor('app')
    setStatus('pending')
    setError(null)
    try {
      setSetup(await client.twoFactor.startSetup())
      go('scan')
    } catch (caught) {
      fail(caught)
    }
  }, [client, go, fail])

  const verify = useCallback(
    async (code: string) => {
      if (status === 'pending') return
      setStatus('pending')
      setError(null)
      try {
        const result = await client.twoFactor.verifySetup({ code })
        setBackupCodes(result.backupCodes)
        go('codes')
        onEnabled?.(result)
      } catch (caught) {
        if (isApiError(caught) && caught.code === 'INVALID_CODE') setRejections((n) => n + 1)
        if (isApiError(caught) && caught.code === 'NO_PENDING_SETUP') {
          go('intro')
          setStatus('error')
          setError(errorMessage(caught))
        } else fail(caught)
      }
    },
    [status, client, go, onEnabled, fail, errorMessage],
  )

  const startPasskey = useCallback(async () => {
    setFactor('passkey')
    setStatus('pending')
    setError(null)
    try {
      const { options } = await client.twoFactor.passkeyOptions()
      const credential = await createPasskey(options)
      const name = messages.authenticators.defaultPasskeyName
      const result = await client.twoFactor.registerPasskey({ name, credential })
      const codes = result.backupCodes ?? []
      setBackupCodes(codes)
      go(codes.length ? 'codes' : 'done')
      onEnabled?.({ enabled: true, backupCodes: codes })
    } catch (caught) {
      fail(caught)
    }
  }, [client, messages, go, onEnabled, fail])

  const reset = useCallback(() => {
    go('intro')
    setSetup(null)
    setBackupCodes([])
    setSaved(false)
  }, [go])

  const canUsePasskey = passkeysSupported()
  const description = {
    intro: canUsePasskey ? messages.setup.chooseDescription : messages.setup.introDescription,
    scan: messages.setup.scanDescription,
    confirm: messages.setup.confirmDescription,
    codes: messages.setup.codesDescription,
    done: messages.setup.doneDescription,
  }[step]

  return {
    step,
    status,
    error,
    setup,
    backupCodes,
    rejections,
    saved,
    setSaved,
    description,
    factor,
    canUsePasskey,
    go,
    start,
    startPasskey,
    verify,
    reset,
  }
}
