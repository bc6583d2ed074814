/**
 * The existing app's page: its own login form (POST /login), then Twofold's challenge when the
 * account has a second factor; signed in, Twofold's settings and, for admins, its admin table.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import {
  TwoFactorAdminTable,
  TwoFactorChallenge,
  TwoFactorProvider,
  TwoFactorSettings,
} from 'twofold/react'

interface Me {
  id: string
  email: string
  name: string | null
  role: 'user' | 'admin'
}
type Challenge = { token: string; expiresAt: string; methods: ('totp' | 'backup_code' | 'email')[] }

async function postJson(path: string, body?: unknown) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  return { ok: response.ok, body: await response.json() }
}

function LoginForm({
  onChallenge,
  onSignedIn,
}: {
  onChallenge: (challenge: Challenge, email: string) => void
  onSignedIn: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email'))
    setBusy(true)
    setError(null)
    const { ok, body } = await postJson('/login', { email, password: form.get('password') })
    setBusy(false)
    if (!ok) return setError(body.error?.message ?? 'Sign-in failed.')
    if (body.status === 'two_factor_required') onChallenge(body.challenge, email)
    else onSignedIn()
  }
  return (
    <form onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">Sign in to the existing app</h1>
      <p>
        <label>
          Email <input name="email" type="email" autoComplete="username" required />
        </label>
      </p>
      <p>
        <label>
          Password{' '}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </p>
      <p role="alert">{error}</p>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  )
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [step, setStep] = useState<{ challenge: Challenge; email: string } | null>(null)
  const refresh = useCallback(async () => {
    setStep(null)
    const response = await fetch('/me')
    setMe(((await response.json()) as { user: Me | null }).user)
  }, [])
  useEffect(() => void refresh(), [refresh])

  let page
  if (me === undefined) page = <p>Loading…</p>
  else if (step)
    page = (
      <TwoFactorChallenge
        challenge={step.challenge}
        email={step.email}
        onSignedIn={() => void refresh()}
        onExpired={() => setStep(null)}
        onCancel={() => setStep(null)}
      />
    )
  else if (!me)
    page = (
      <LoginForm
        onChallenge={(challenge, email) => setStep({ challenge, email })}
        onSignedIn={() => void refresh()}
      />
    )
  else
    page = (
      <>
        <header>
          <h1>Hello, {me.name ?? me.email}</h1>
          <button type="button" onClick={() => void postJson('/logout').then(refresh)}>
            Sign out
          </button>
        </header>
        <TwoFactorSettings />
        {me.role === 'admin' && <TwoFactorAdminTable />}
      </>
    )
  return (
    <TwoFactorProvider>
      <main style={{ maxWidth: 960, margin: '2rem auto', padding: '0 1rem' }}>{page}</main>
    </TwoFactorProvider>
  )
}
