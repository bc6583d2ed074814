import { useCallback, useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { EnabledResponse, SetupResponse } from '../../client/types'
import { useTwoFactor } from '../../provider/provider'

export type SetupStep = 'intro' | 'scan' | 'confirm' | 'codes' | 'done'
export type SetupStatus = 'idle' | 'pending' | 'error'

/** The setup wizard's state machine: start, scan, confirm with a code, save codes, done. */
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

  const reset = useCallback(() => {
    go('intro')
    setSetup(null)
    setBackupCodes([])
    setSaved(false)
  }, [go])

  const description = {
    intro: messages.setup.introDescription,
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
    go,
    start,
    verify,
    reset,
  }
}
