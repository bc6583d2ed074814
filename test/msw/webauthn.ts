/**
 * A fake authenticator behind `navigator.credentials`, for stories and component tests (jsdom
 * has no WebAuthn; a real browser would show its own prompt). @simplewebauthn/browser runs on
 * top of it unchanged: it gets credentials shaped like the browser's, or the browser's errors.
 */
import { NEW_PASSKEY_ID, PASSKEY_ID } from './fixtures'

/**
 * How the fake answers: `ok` creates {@link NEW_PASSKEY_ID} and asserts with the user's
 * {@link PASSKEY_ID}; `stranger` asserts with a credential the user does not hold; the others
 * reject with the DOMException the browser raises (`NotAllowedError`: cancelled or timed out).
 */
export type FakeWebAuthn =
  'ok' | 'stranger' | 'NotAllowedError' | 'InvalidStateError' | 'SecurityError' | 'AbortError'

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer

function base64UrlBytes(value: string): ArrayBuffer {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer as ArrayBuffer
}

function credential(id: string, response: object) {
  return {
    id,
    rawId: base64UrlBytes(id),
    type: 'public-key',
    response,
    authenticatorAttachment: 'cross-platform',
    getClientExtensionResults: () => ({}),
  }
}

/** Whether this module defined `PublicKeyCredential` (jsdom), so it may take it away. */
let installedConstructor = false

/** The calls the fake received, for tests to inspect. */
export interface FakeCredentials {
  create: (options: CredentialCreationOptions) => Promise<unknown>
  get: (options: CredentialRequestOptions) => Promise<unknown>
  calls: { create: CredentialCreationOptions[]; get: CredentialRequestOptions[] }
}

/** Installs the fake (again: replaces it). Browsers without WebAuthn get `PublicKeyCredential`. */
export function installFakeWebAuthn(mode: FakeWebAuthn = 'ok'): FakeCredentials {
  const fail = () => Promise.reject(new DOMException(`Fake ${mode}`, mode))
  const calls: FakeCredentials['calls'] = { create: [], get: [] }
  const fake: FakeCredentials = {
    calls,
    create: async (options) => {
      calls.create.push(options)
      if (mode !== 'ok' && mode !== 'stranger') return fail()
      return credential(NEW_PASSKEY_ID, {
        attestationObject: bytes('attestation'),
        clientDataJSON: bytes('{"type":"webauthn.create"}'),
        getTransports: () => ['internal'],
      })
    },
    get: async (options) => {
      calls.get.push(options)
      if (mode !== 'ok' && mode !== 'stranger') return fail()
      return credential(mode === 'ok' ? PASSKEY_ID : 'c3RyYW5nZXI', {
        authenticatorData: bytes('authenticator-data'),
        clientDataJSON: bytes('{"type":"webauthn.get"}'),
        signature: bytes('signature'),
        userHandle: null,
      })
    },
  }
  if (typeof globalThis.PublicKeyCredential !== 'function') {
    installedConstructor = true
    Object.defineProperty(globalThis, 'PublicKeyCredential', {
      value: function PublicKeyCredential() {},
      configurable: true,
      writable: true,
    })
  }
  Object.defineProperty(navigator, 'credentials', { value: fake, configurable: true })
  return fake
}

/** Takes the fake away again (jsdom: back to no WebAuthn at all). */
export function removeFakeWebAuthn() {
  // Also runs after tests in the node environment, which has no navigator.
  const hasNavigator = typeof navigator !== 'undefined'
  if (hasNavigator && Object.getOwnPropertyDescriptor(navigator, 'credentials')) {
    delete (navigator as { credentials?: unknown }).credentials
  }
  if (installedConstructor) {
    delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential
    installedConstructor = false
  }
}
