import { useId, useRef, useState, type FormEvent } from 'react'
import { Button, Field, isApiError, useTwoFactor, type User } from 'twofold/react'

export interface SignUpFormProps {
  /** Runs with the new account; the API has already set the session cookie. */
  onSignedUp: (user: User) => void
}

const MIN_PASSWORD = 8

/**
 * Email, optional name and password, posted to `POST /api/auth/sign-up` with the kit's client.
 * Marked up like the kit's sign-in form so the kit's styles apply.
 */
export function SignUpForm({ onSignedUp }: SignUpFormProps) {
  const { client, errorMessage } = useTwoFactor()
  const id = useId()
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [invalid, setInvalid] = useState<'email' | 'password' | null>(null)
  const emailRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  const refuse = (field: 'email' | 'password', message: string) => {
    setError(message)
    setInvalid(field)
    ;(field === 'email' ? emailRef : passwordRef).current?.focus()
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    const name = String(form.get('name') ?? '').trim()
    const password = String(form.get('password') ?? '')
    if (password.length < MIN_PASSWORD) {
      return refuse('password', `Use at least ${MIN_PASSWORD} characters for the password.`)
    }
    setPending(true)
    setError(null)
    setInvalid(null)
    try {
      const { user } = await client.auth.signUp({ email, password, ...(name ? { name } : {}) })
      onSignedUp(user)
    } catch (caught) {
      setPending(false)
      const issues = isApiError(caught) ? (caught.issues ?? []).map((issue) => issue.message) : []
      const message = [errorMessage(caught), ...issues].join(' ')
      if (isApiError(caught) && caught.code === 'EMAIL_TAKEN') refuse('email', message)
      else setError(message)
    }
  }

  return (
    <form
      className="twofold-root demo-card demo-form"
      data-slot="sign-up-form"
      data-state={pending ? 'pending' : error ? 'error' : 'idle'}
      onSubmit={onSubmit}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>Create an account</h2>
      <Field label="Email">
        <input
          ref={emailRef}
          data-slot="input"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={invalid === 'email' || undefined}
          aria-describedby={`${id}-error`}
        />
      </Field>
      <Field
        label={
          <>
            Name <span className="demo-optional">(optional)</span>
          </>
        }
      >
        <input data-slot="input" name="name" type="text" autoComplete="name" />
      </Field>
      <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`}>
        <input
          ref={passwordRef}
          data-slot="input"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          aria-invalid={invalid === 'password' || undefined}
          aria-describedby={`${id}-error`}
        />
      </Field>
      <div
        id={`${id}-error`}
        role="alert"
        aria-atomic="true"
        data-slot="message"
        data-tone="error"
        data-state={error ? 'visible' : 'hidden'}
      >
        {error}
      </div>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </Button>
    </form>
  )
}
