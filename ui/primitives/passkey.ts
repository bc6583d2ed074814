import { startAuthentication, startRegistration } from '@simplewebauthn/browser'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../client/types'

/**
 * Why the browser's passkey prompt failed, in the words of `messages.passkeys`:
 * - `cancelled`: `NotAllowedError`, the user closed the prompt or it timed out
 * - `exists`: `InvalidStateError`, this authenticator is already registered
 * - `security`: `SecurityError`, the page's address does not fit the relying-party id
 * - `aborted`: `AbortError`, another request replaced this one
 * - `unsupported`: the browser has no WebAuthn, or none of the key types asked for
 * - `failed`: anything else
 */
export type PasskeyProblem =
  'cancelled' | 'exists' | 'security' | 'aborted' | 'unsupported' | 'failed'

const PROBLEM_OF_NAME: Record<string, PasskeyProblem> = {
  NotAllowedError: 'cancelled',
  InvalidStateError: 'exists',
  SecurityError: 'security',
  AbortError: 'aborted',
  NotSupportedError: 'unsupported',
}

/** The browser refused or failed a passkey ceremony; `problem` says why. */
export class PasskeyError extends Error {
  readonly problem: PasskeyProblem

  constructor(problem: PasskeyProblem, cause?: unknown) {
    super(`Passkey ${problem}`, { cause })
    this.name = 'PasskeyError'
    this.problem = problem
  }
}

/** Whether a failure came from the browser's passkey prompt (see {@link PasskeyProblem}). */
export function isPasskeyError(value: unknown): value is PasskeyError {
  return value instanceof PasskeyError
}

/** Whether this browser can use passkeys and security keys (WebAuthn). */
export function passkeysSupported(): boolean {
  return typeof globalThis.PublicKeyCredential === 'function'
}

function toPasskeyError(caught: unknown): PasskeyError {
  // Read the name off any object: a DOMException is not an Error in every environment.
  const name = typeof caught === 'object' && caught !== null ? (caught as Error).name : ''
  return new PasskeyError(PROBLEM_OF_NAME[name] ?? 'failed', caught)
}

/** Asks the browser to create a passkey with the server's options. Throws {@link PasskeyError}. */
export async function createPasskey(
  options: PublicKeyCredentialCreationOptionsJSON,
): Promise<RegistrationResponseJSON> {
  if (!passkeysSupported()) throw new PasskeyError('unsupported')
  try {
    return await startRegistration({ optionsJSON: options })
  } catch (caught) {
    throw toPasskeyError(caught)
  }
}

/** Asks the browser for a passkey assertion (server's options); throws {@link PasskeyError}. */
export async function getPasskey(
  options: PublicKeyCredentialRequestOptionsJSON,
): Promise<AuthenticationResponseJSON> {
  if (!passkeysSupported()) throw new PasskeyError('unsupported')
  try {
    return await startAuthentication({ optionsJSON: options })
  } catch (caught) {
    throw toPasskeyError(caught)
  }
}
