import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { isApiError } from '../../client/api-error'
import type { Challenge, Method, Session, User } from '../../client/types'
import { cn } from '../../primitives/cn'
import { Field } from '../../primitives/field'
import { Button, LiveMessage, Notice } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'
import { TwoFactorChallenge } from '../two-factor-challenge/two-factor-challenge'

/** What `onSignedIn` receives once the user is fully signed in. */
export interface SignedIn {
  user: User
  session: Session
  /** Set when the policy requires 2FA and the user has none yet. */
  twoFactorSetupRequired?: boolean
  /** Until when the user may still sign in without 2FA. */
  setupDeadline?: string
  /** The second factor used, when there was a challenge. */
  method?: Method
  backupCodesRemaining?: number
}

export interface SignInFormProps {
  onSignedIn?: (result: SignedIn) => void
  /** Prefills the email field. */
  defaultEmail?: string
  className?: string
}

type Phase = 'idle' | 'pending' | 'error' | 'challenge' | 'done'

/** Email and password, then the two-factor challenge when the account asks for one. */
export function SignInForm({ onSignedIn, defaultEmail = '', className }: SignInFormProps) {
  const { client, messages, errorMessage, formatDate, requestSetup } = useTwoFactor()
  const m = messages.signIn
  const id = useId()
  const [phase, setPhase] = useState<Phase>('idle')
  const [error, setError] = useState<string | null>(null)
  const [challenge, setChallenge] = useState<Challenge | null>(null)
  const [result, setResult] = useState<SignedIn | null>(null)
  const [email, setEmail] = useState(defaultEmail)
  const [wrongCredentials, setWrongCredentials] = useState(false)
  const [expired, setExpired] = useState(false)
  const passwordRef = useRef<HTMLInputElement>(null)
  const emailRef = useRef<HTMLInputElement>(null)
  /** Set by "Use another account": the email field takes focus once the form is back. */
  const [backToEmail, setBackToEmail] = useState(false)

  useEffect(() => {
    if (!backToEmail) return
    emailRef.current?.focus()
    emailRef.current?.select()
    setBackToEmail(false)
  }, [backToEmail])

  const finish = (signedIn: SignedIn) => {
    setResult(signedIn)
    setPhase('done')
    onSignedIn?.(signedIn)
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (phase === 'pending') return
    const password = String(new FormData(event.currentTarget).get('password') ?? '')
    setPhase('pending')
    setError(null)
    setWrongCredentials(false)
    setExpired(false)
    try {
      const answer = await client.auth.signIn({ email, password })
      if (answer.status === 'two_factor_required') {
        setChallenge(answer.challenge)
        setPhase('challenge')
      } else {
        const { status: _status, ...signedIn } = answer
        finish(signedIn)
      }
    } catch (caught) {
      setError(errorMessage(caught))
      setPhase('error')
      if (isApiError(caught) && caught.code === 'INVALID_CREDENTIALS') {
        setWrongCredentials(true)
        passwordRef.current?.select()
      }
    }
  }

  if (phase === 'challenge' && challenge) {
    return (
      <TwoFactorChallenge
        className={className}
        challenge={challenge}
        email={email.trim()}
        onCancel={() => {
          setChallenge(null)
          setPhase('idle')
          setBackToEmail(true)
        }}
        onSignedIn={({ status: _status, ...signedIn }) => finish(signedIn)}
        onExpired={() => {
          setChallenge(null)
          setExpired(true)
          setError(m.expired)
          setPhase('error')
        }}
      />
    )
  }

  if (phase === 'done' && result) {
    const deadline = result.setupDeadline
    return (
      <div data-slot="sign-in-form" data-state="done" className={cn('twofold-root', className)}>
        <Notice tone="success">{m.signedIn}</Notice>
        {result.twoFactorSetupRequired && (
          <Notice tone="warning" data-slot="setup-required">
            {deadline && Date.parse(deadline) > Date.now()
              ? m.setupRequired(formatDate(deadline))
              : m.setupRequiredNow}
          </Notice>
        )}
        {/* Past the deadline the provider opens setup by itself; this button reopens it. */}
        {result.twoFactorSetupRequired && (
          <Button variant="primary" onClick={requestSetup}>
            {m.setUp}
          </Button>
        )}
      </div>
    )
  }

  const invalid = wrongCredentials || undefined
  return (
    <form
      data-slot="sign-in-form"
      data-state={phase}
      className={cn('twofold-root', className)}
      onSubmit={onSubmit}
      aria-labelledby={`${id}-title`}
    >
      <h2 data-slot="title" id={`${id}-title`}>
        {m.title}
      </h2>
      <Field label={m.email}>
        <input
          ref={emailRef}
          data-slot="input"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={invalid}
          aria-describedby={`${id}-error`}
        />
      </Field>
      <Field label={m.password}>
        <input
          ref={passwordRef}
          data-slot="input"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus={expired}
          aria-invalid={invalid}
          aria-describedby={`${id}-error`}
        />
      </Field>
      <div id={`${id}-error`}>
        <LiveMessage>{error}</LiveMessage>
      </div>
      <Button type="submit" variant="primary" pending={phase === 'pending'}>
        {phase === 'pending' ? m.submitting : m.submit}
      </Button>
    </form>
  )
}
