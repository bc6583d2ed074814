/**
 * The building blocks the kit exports for an app's own screens (the demo uses them): Field,
 * Section, Button, useResource with ResourceStatus, and the audit action labels.
 */
import { act, renderHook, screen } from '@testing-library/react'
import { useState, type ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../api/lib/audit'
import {
  auditActionLabel,
  Button,
  defaultMessages,
  Field,
  ResourceStatus,
  Section,
  SectionTitle,
  TwoFactorProvider,
  useResource,
  useTwoFactor,
} from 'twofold/react'
import { expectNoAxeViolations, renderKit } from './helpers'

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { promise, resolve, reject }
}

describe('Field', () => {
  function EmailForm({ error }: { error?: string }) {
    return (
      <form aria-label="Account">
        <Field label="Email" hint="Where we write to you." error={error}>
          <input type="email" name="email" aria-describedby="form-note" />
        </Field>
        <p id="form-note">All fields are kept private.</p>
      </form>
    )
  }

  it('labels its control and describes it with the hint and the caller’s own description', async () => {
    renderKit(<EmailForm />)
    const input = screen.getByLabelText('Email')
    expect(input).toHaveAttribute('type', 'email')
    expect(input).toHaveAccessibleDescription('Where we write to you. All fields are kept private.')
    expect(input).not.toHaveAttribute('aria-invalid')
    await expectNoAxeViolations()
  })

  it('announces an error from a live region that was there before it, and marks the control invalid', async () => {
    const { rerender } = renderKit(<EmailForm />)
    const region = screen.getAllByRole('alert').find((el) => el.dataset.slot === 'field-error')
    expect(region).toBeDefined()
    expect(region).toBeEmptyDOMElement()

    rerender(<EmailForm error="Enter an email address." />)
    const input = screen.getByLabelText('Email')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveAccessibleDescription(
      'Where we write to you. All fields are kept private. Enter an email address.',
    )
    // The same element, now with the message: screen readers announce the change.
    expect(region).toHaveTextContent('Enter an email address.')
    expect(region).toHaveAttribute('aria-live', 'assertive')
    await expectNoAxeViolations()
  })

  it('keeps the id its control was given', () => {
    renderKit(
      <Field label="Reason">
        <textarea id="reason" />
      </Field>,
    )
    expect(screen.getByLabelText('Reason')).toHaveAttribute('id', 'reason')
  })
})

describe('Section', () => {
  it('is a region named by its title, wherever the title sits', async () => {
    renderKit(
      <>
        <Section data-slot="activity">
          <header>
            <SectionTitle>Recent activity</SectionTitle>
            <span>3 new</span>
          </header>
          <p>Nothing else.</p>
        </Section>
        <Section>
          <SectionTitle level={3}>Devices</SectionTitle>
        </Section>
      </>,
    )
    const activity = screen.getByRole('region', { name: 'Recent activity' })
    expect(activity).toHaveAttribute('data-slot', 'activity')
    expect(activity).toHaveClass('twofold-root')
    expect(screen.getByRole('heading', { level: 2, name: 'Recent activity' })).toBeVisible()
    expect(screen.getByRole('region', { name: 'Devices' })).toContainElement(
      screen.getByRole('heading', { level: 3, name: 'Devices' }),
    )
    await expectNoAxeViolations()
  })
})

describe('Button', () => {
  it('is disabled, aria-busy and data-state="pending" while its request is in flight', () => {
    const { rerender } = renderKit(<Button data-slot="save">Save</Button>)
    const button = screen.getByRole('button', { name: 'Save' })
    expect(button).toHaveAttribute('type', 'button')
    expect(button).toHaveAttribute('data-slot', 'save')
    expect(button).toBeEnabled()
    rerender(
      <Button data-slot="save" pending>
        Save
      </Button>,
    )
    expect(button).toBeDisabled()
    expect(button).toHaveAttribute('aria-busy', 'true')
    expect(button).toHaveAttribute('data-state', 'pending')
    expect(button).not.toHaveAttribute('slot')
  })
})

const wrapper = ({ children }: { children?: ReactNode }) => (
  <TwoFactorProvider>{children}</TwoFactorProvider>
)

describe('useResource', () => {
  it('goes loading → ready, keeps the data while reloading and after a failed reload', async () => {
    let next = deferred<string>()
    const { result } = renderHook(() => useResource(() => next.promise, []), { wrapper })
    expect(result.current).toMatchObject({ status: 'loading', data: undefined })

    await act(async () => next.resolve('first'))
    expect(result.current).toMatchObject({ status: 'ready', data: 'first' })

    next = deferred()
    act(() => result.current.reload())
    expect(result.current).toMatchObject({ status: 'loading', data: 'first' })

    const failure = new Error('offline')
    await act(async () => next.reject(failure))
    expect(result.current).toMatchObject({ status: 'error', data: 'first', error: failure })
  })

  it('drops an answer that arrives after a newer load started', async () => {
    const calls = [deferred<string>(), deferred<string>()]
    let call = 0
    const { result, rerender } = renderHook(
      ({ id }) => useResource(() => calls[call++]!.promise, [id]),
      { wrapper, initialProps: { id: 1 } },
    )
    rerender({ id: 2 })
    await act(async () => calls[1]!.resolve('newer'))
    await act(async () => calls[0]!.resolve('older'))
    expect(result.current).toMatchObject({ status: 'ready', data: 'newer' })
  })
})

describe('ResourceStatus', () => {
  function Loader({ load }: { load: () => Promise<string> }) {
    const resource = useResource(load, [load])
    return (
      <>
        <ResourceStatus resource={resource} />
        {resource.data && <p>Loaded: {resource.data}</p>}
      </>
    )
  }

  it('shows a spinner on the first load, then nothing', async () => {
    const answer = deferred<string>()
    const load = () => answer.promise
    renderKit(<Loader load={load} />)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    await act(async () => answer.resolve('ok'))
    expect(screen.getByText('Loaded: ok')).toBeVisible()
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('announces a failure with a retry that loads again', async () => {
    let attempts = 0
    const load = async () => {
      attempts += 1
      if (attempts === 1) throw new Error('boom')
      return 'second try'
    }
    const { user } = renderKit(<Loader load={load} />)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(defaultMessages.errors.INTERNAL_ERROR)
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('Loaded: second try')).toBeVisible()
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

describe('audit action labels', () => {
  it('name every action the API records, password_changed included', () => {
    const { actions } = defaultMessages.audit
    for (const action of AUDIT_ACTIONS) {
      expect(actions, action).toHaveProperty(action)
      expect(auditActionLabel(defaultMessages.audit, action)).toBe(
        (actions as Record<string, string>)[action],
      )
    }
    expect(auditActionLabel(defaultMessages.audit, 'password_changed')).toBe('Password changed')
  })

  it('name the contract’s authenticator and step-up actions, and spell out unknown ones', () => {
    const audit = defaultMessages.audit
    for (const action of [
      'authenticator_added',
      'authenticator_renamed',
      'authenticator_removed',
      'step_up',
    ]) {
      expect(auditActionLabel(audit, action)).not.toBe(action.replace(/_/g, ' '))
    }
    expect(auditActionLabel(audit, 'future_thing')).toBe('future thing')
    expect(auditActionLabel(audit, 'toString')).toBe('toString')
  })

  it('are messages a host app can override through the provider', () => {
    function Label() {
      const { messages } = useTwoFactor()
      return <p>{auditActionLabel(messages.audit, 'sign_in')}</p>
    }
    function Host() {
      const [messages] = useState({
        audit: { actions: { ...defaultMessages.audit.actions, sign_in: 'Connecté' } },
      })
      return (
        <TwoFactorProvider messages={messages}>
          <Label />
        </TwoFactorProvider>
      )
    }
    renderKit(<Host />)
    expect(screen.getByText('Connecté')).toBeVisible()
  })
})
