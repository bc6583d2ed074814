import { ERROR_CODES } from '../../shared/error-codes'
import type { ApiErrorCode } from '../client/api-error'
import { accountMessages } from './account-messages'
import { adminMessages } from './admin-messages'
import { auditMessages } from './audit-messages'
import { passkeyMessages } from './passkey-messages'
import { trendsMessages } from './trends-messages'

const errors: Record<ApiErrorCode, string> = {
  ...ERROR_CODES,
  INVALID_CODE: 'That code is not valid.',
  NETWORK_ERROR: 'Could not reach the server. Check your connection and try again.',
}

/** Every visible string of the kit, in English. Override any of them through the provider. */
export const defaultMessages = {
  ...accountMessages,
  ...adminMessages,
  ...trendsMessages,
  ...auditMessages,
  ...passkeyMessages,
  errors,
}

export type Messages = typeof defaultMessages

/** Overrides of {@link defaultMessages}: any group, any key of it. */
export type MessageOverrides = { [Group in keyof Messages]?: Partial<Messages[Group]> }

export function mergeMessages(overrides: MessageOverrides | undefined): Messages {
  if (!overrides) return defaultMessages
  const merged: Record<string, unknown> = { ...defaultMessages }
  for (const [group, values] of Object.entries(overrides)) {
    merged[group] = { ...(defaultMessages as Record<string, object>)[group], ...values }
  }
  return merged as Messages
}
