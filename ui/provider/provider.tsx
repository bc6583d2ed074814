import { createContext, useContext, useMemo, type ReactNode } from 'react'
import { createTwoFactorClient, type TwoFactorClient } from '../client/client'
import { isApiError } from '../client/api-error'
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
  children?: ReactNode
}

export interface TwoFactorContextValue {
  client: TwoFactorClient
  messages: Messages
  /** The provider's `locale` (undefined: the browser's), for components' own formatters. */
  locale: string | undefined
  formatDate: (iso: string) => string
  errorMessage: (error: unknown) => string
}

const TwoFactorContext = createContext<TwoFactorContextValue | null>(null)

/** Gives every Twofold component its API client and its strings. */
export function TwoFactorProvider({
  client,
  baseUrl = '',
  messages,
  locale,
  children,
}: TwoFactorProviderProps) {
  // Kept apart from the strings so that new `messages` never make a new client (and refetch).
  const api = useMemo(() => client ?? createTwoFactorClient({ baseUrl }), [client, baseUrl])
  const value = useMemo<TwoFactorContextValue>(() => {
    const merged = mergeMessages(messages)
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    return {
      client: api,
      messages: merged,
      locale,
      formatDate: (iso) => dates.format(new Date(iso)),
      errorMessage: (error) => {
        if (!isApiError(error)) return merged.errors.INTERNAL_ERROR
        return merged.errors[error.code] ?? error.message
      },
    }
  }, [api, messages, locale])
  return <TwoFactorContext.Provider value={value}>{children}</TwoFactorContext.Provider>
}

/** The provider's client, messages and formatters. Throws outside a `TwoFactorProvider`. */
export function useTwoFactor(): TwoFactorContextValue {
  const value = useContext(TwoFactorContext)
  if (!value) throw new Error('Twofold components must be rendered inside <TwoFactorProvider>.')
  return value
}
