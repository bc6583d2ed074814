import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { createTwoFactorClient, type TwoFactorClient } from '../client/client'
import { isApiError } from '../client/api-error'
import { isPasskeyError } from '../primitives/passkey'
import { StepUpDialog } from '../components/step-up/step-up-dialog'
import { isStepUpCancelled } from '../components/step-up/use-step-up'
import { TwoFactorSetupDialog } from '../components/two-factor-setup-dialog/two-factor-setup-dialog'
import { mergeMessages, type MessageOverrides, type Messages } from './messages'

export interface TwoFactorProviderProps {
  /** A client made with `createTwoFactorClient`; when absent one is made from `baseUrl`. */
  client?: TwoFactorClient
  /**
   * Where the API lives, used only when no `client` is given.
   * @default ''
   */
  baseUrl?: string
  /** Replacements for any of the English strings of {@link defaultMessages}. */
  messages?: MessageOverrides
  /**
   * BCP 47 locale for dates and numbers.
   * @default the browser's
   */
  locale?: string
  /**
   * Open the setup dialog by itself when the API says this session must set up 2FA first (a
   * sign-in past the policy's deadline, or any answer 403 `TWO_FACTOR_SETUP_REQUIRED`).
   * Turn it off to handle that yourself with `onSetupRequired` and `requestSetup`.
   * @default true
   */
  autoOpenSetup?: boolean
  /** Runs whenever the API says the session must set up 2FA first. */
  onSetupRequired?: () => void
  children?: ReactNode
}

export interface TwoFactorContextValue {
  client: TwoFactorClient
  messages: Messages
  /** The provider's `locale` (undefined: the browser's), for components' own formatters. */
  locale: string | undefined
  formatDate: (iso: string) => string
  /** Date and time to the second, for event logs where order within a minute matters. */
  formatTimestamp: (iso: string) => string
  errorMessage: (error: unknown) => string
  /**
   * Opens the kit's one setup dialog, which the provider holds: the settings card's Enable uses
   * it, and the provider opens it by itself when setup is required (see `autoOpenSetup`).
   */
  requestSetup: () => void
  /** Goes up each time the provider's setup dialog turned 2FA on: components reload on it. */
  statusVersion: number
  /**
   * Opens the provider's one {@link StepUpDialog}; resolves `true` once the user verified,
   * `false` if they closed it. `useStepUp` calls it when an action answers `STEP_UP_REQUIRED`.
   */
  requestStepUp: () => Promise<boolean>
  /**
   * Until when (ms since the epoch) this page knows the session counts as recently verified: the
   * `verifiedUntil` of the last step-up done through a {@link StepUpDialog}; 0 when none, or once
   * the API answered `STEP_UP_REQUIRED`. Within it, disable and regenerate ask for no code.
   */
  stepUpUntil: number
  /** Records a step-up window (`StepUpDialog` does), or forgets it with 0. */
  setStepUpUntil: (until: number) => void
}

const TwoFactorContext = createContext<TwoFactorContextValue | null>(null)

/** Gives every Twofold component its API client and its strings. */
export function TwoFactorProvider({
  client,
  baseUrl = '',
  messages,
  locale,
  autoOpenSetup = true,
  onSetupRequired,
  children,
}: TwoFactorProviderProps) {
  // Kept apart from the strings so that new `messages` never make a new client (and refetch).
  const api = useMemo(() => client ?? createTwoFactorClient({ baseUrl }), [client, baseUrl])
  const [setupOpen, setSetupOpen] = useState(false)
  const [statusVersion, setStatusVersion] = useState(0)
  const requestSetup = useCallback(() => setSetupOpen(true), [])
  const [stepUpOpen, setStepUpOpen] = useState(false)
  const [stepUpUntil, setStepUpUntil] = useState(0)
  // Everyone waiting for the one step-up dialog (two actions may need it at once).
  const stepUpWaiters = useRef<Array<(verified: boolean) => void>>([])
  const requestStepUp = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        stepUpWaiters.current.push(resolve)
        setStepUpOpen(true)
      }),
    [],
  )
  const settleStepUp = useCallback((verified: boolean) => {
    const waiters = stepUpWaiters.current
    stepUpWaiters.current = []
    for (const resolve of waiters) resolve(verified)
  }, [])
  const setupRequired = useRef({ autoOpenSetup, onSetupRequired })
  setupRequired.current = { autoOpenSetup, onSetupRequired }

  useEffect(
    () =>
      api.onSetupRequired(() => {
        setupRequired.current.onSetupRequired?.()
        if (setupRequired.current.autoOpenSetup) setSetupOpen(true)
      }),
    [api],
  )

  const value = useMemo<TwoFactorContextValue>(() => {
    const merged = mergeMessages(messages)
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    const stamps = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' })
    return {
      client: api,
      messages: merged,
      locale,
      formatDate: (iso) => dates.format(new Date(iso)),
      formatTimestamp: (iso) => stamps.format(new Date(iso)),
      errorMessage: (error) => {
        if (isPasskeyError(error)) return merged.passkeys[error.problem]
        if (isStepUpCancelled(error)) return merged.stepUp.cancelled
        if (!isApiError(error)) return merged.errors.INTERNAL_ERROR
        return merged.errors[error.code] ?? error.message
      },
      requestSetup,
      statusVersion,
      requestStepUp,
      stepUpUntil,
      setStepUpUntil,
    }
  }, [api, messages, locale, requestSetup, statusVersion, requestStepUp, stepUpUntil])
  return (
    <TwoFactorContext.Provider value={value}>
      {children}
      <TwoFactorSetupDialog
        open={setupOpen}
        onOpenChange={setSetupOpen}
        onEnabled={() => setStatusVersion((version) => version + 1)}
      />
      <StepUpDialog
        open={stepUpOpen}
        onOpenChange={(next) => {
          setStepUpOpen(next)
          if (!next) settleStepUp(false)
        }}
        onVerified={() => settleStepUp(true)}
      />
    </TwoFactorContext.Provider>
  )
}

/** The provider's client, messages and formatters. Throws outside a `TwoFactorProvider`. */
export function useTwoFactor(): TwoFactorContextValue {
  const value = useContext(TwoFactorContext)
  if (!value) throw new Error('Twofold components must be rendered inside <TwoFactorProvider>.')
  return value
}
