import { useCallback, useEffect, useRef, useState } from 'react'
import { isApiError } from '../../client/api-error'
import type { Challenge, TwoFactorSignInResponse } from '../../client/types'
import { formatSeconds } from '../../primitives/format'
import { useCountdown } from '../../primitives/hooks'
import { getPasskey, passkeysSupported } from '../../primitives/passkey'
import { useTwoFactor } from '../../provider/provider'

export type ChallengeMode = 'totp' | 'backup' | 'email' | 'passkey'
export type ChallengeStatus = 'idle' | 'pending' | 'error' | 'locked' | 'expired' | 'done'

export interface UseChallengeOptions {
  challenge: Challenge
  onSignedIn?: (result: TwoFactorSignInResponse) => void
  onExpired?: () => void
}

const METHOD_OF_MODE = { totp: 'totp', backup: 'backup_code', email: 'email' } as const

/**
 * State and actions of the second sign-in step: a passkey (first, when the user has one and the
 * browser supports it), codes, email fallback, lockout, expiry.
 */
export function useChallenge({ challenge, onSignedIn, onExpired }: UseChallengeOptions) {
  const { client, messages, errorMessage } = useTwoFactor()
  const m = messages.challenge
  const canPasskey = challenge.methods.includes('passkey') && passkeysSupported()
  const [mode, setMode] = useState<ChallengeMode>(canPasskey ? 'passkey' : 'totp')
  const [status, setStatus] = useState<ChallengeStatus>('idle')
  const [error, setError] = useState<string | null>(null)
  const [remember, setRemember] = useState(false)
  const [sentTo, setSentTo] = useState<string | null>(null)
  /** An email code is being requested. */
  const [emailPending, setEmailPending] = useState(false)
  // A second submit (auto-submit, then Enter) must not race the first: state updates lag a render.
  const inFlight = useRef(false)
  const { start: startLock, remaining: lockRemaining, active: lockActive } = useCountdown()
  const { start: startResend, remaining: resendIn } = useCountdown()

  useEffect(() => {
    if (status === 'locked' && !lockActive) {
      setStatus('idle')
      setError(null)
    }
  }, [status, lockActive])

  const fail = useCallback(
    (caught: unknown) => {
      const code = isApiError(caught) ? caught.code : undefined
      const attempts = isApiError(caught) ? caught.attemptsRemaining : undefined
      if (code === 'INVALID_CHALLENGE' || (code === 'INVALID_CODE' && attempts === 0)) {
        setStatus('expired')
        setError(m.expired)
        onExpired?.()
      } else if (code === 'TOO_MANY_ATTEMPTS' && isApiError(caught)) {
        startLock(caught.retryAfter ?? 60)
        setStatus('locked')
      } else {
        const passkey = mode === 'passkey'
        setStatus('error')
        setError(
          code === 'INVALID_CODE'
            ? attempts === undefined
              ? passkey
                ? m.passkeyInvalid
                : m.invalidCode
              : (passkey ? m.passkeyAttemptsLeft : m.attemptsLeft)(attempts)
            : errorMessage(caught),
        )
      }
    },
    [m, mode, onExpired, errorMessage, startLock],
  )

  /** The browser's assertion for this challenge (its WebAuthn options are bound to it). */
  const assert = useCallback(async () => {
    const { options } = await client.auth.passkeyOptions({ challengeToken: challenge.token })
    return getPasskey(options)
  }, [client, challenge.token])

  /** Sends a code, or in passkey mode asks the browser for the passkey (`code` unused). */
  const submit = useCallback(
    async (code: string) => {
      if (status === 'pending' || status === 'locked' || status === 'done') return
      if (mode !== 'passkey' && !code.trim()) return
      if (inFlight.current) return
      inFlight.current = true
      setStatus('pending')
      setError(null)
      try {
        const challengeToken = challenge.token
        const extra = remember ? { rememberDevice: true } : {}
        const result = await client.auth.verifyTwoFactor(
          mode === 'passkey'
            ? { challengeToken, method: 'passkey', credential: await assert(), ...extra }
            : { challengeToken, code: code.trim(), method: METHOD_OF_MODE[mode], ...extra },
        )
        setStatus('done')
        onSignedIn?.(result)
      } catch (caught) {
        fail(caught)
      } finally {
        inFlight.current = false
      }
    },
    [status, client, challenge.token, mode, remember, onSignedIn, fail, assert],
  )

  const sendEmail = useCallback(async () => {
    if (emailPending || resendIn > 0) return
    setEmailPending(true)
    setError(null)
    try {
      const sent = await client.auth.sendEmailCode({ challengeToken: challenge.token })
      setSentTo(sent.sentTo)
      setMode('email')
      startResend(sent.resendAfter)
      if (status === 'error') setStatus('idle')
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'TOO_MANY_ATTEMPTS' && caught.retryAfter) {
        startResend(caught.retryAfter)
        setError(errorMessage(caught))
      } else fail(caught)
    } finally {
      setEmailPending(false)
    }
  }, [emailPending, resendIn, startResend, client, challenge.token, status, fail, errorMessage])

  const switchMode = useCallback((next: ChallengeMode) => {
    setMode(next)
    setError(null)
    setStatus((current) => (current === 'error' ? 'idle' : current))
  }, [])

  const message = status === 'locked' ? m.locked(formatSeconds(lockRemaining)) : error
  const canEmail = challenge.methods.includes('email')

  return {
    mode,
    status,
    message,
    remember,
    setRemember,
    sentTo,
    emailPending,
    resendIn,
    canEmail,
    canPasskey,
    submit,
    sendEmail,
    switchMode,
  }
}
