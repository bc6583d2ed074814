import '@testing-library/jest-dom/vitest'
import { setProjectAnnotations } from '@storybook/react-vite'
import { cleanup } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { withTwoFactorProvider } from '../../.storybook/decorators'
import { resetMockState } from '../msw/handlers'
import { removeFakeWebAuthn } from '../msw/webauthn'
import { server } from './server'

// jsdom lacks these; the backup-code download button reaches for them.
URL.createObjectURL ??= () => 'blob:twofold-test'
URL.revokeObjectURL ??= () => {}
// axe-core probes canvas support; jsdom has none and says so on every run.
if (typeof HTMLCanvasElement !== 'undefined') HTMLCanvasElement.prototype.getContext = () => null

setProjectAnnotations([{ decorators: [withTwoFactorProvider] }])

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  server.resetHandlers()
  resetMockState()
  removeFakeWebAuthn()
})
afterAll(() => server.close())
