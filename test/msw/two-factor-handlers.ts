import { http, HttpResponse } from 'msw'
import type {
  BackupCodeList,
  BackupCodesResponse,
  CodeBody,
  DisabledResponse,
  EnabledResponse,
  EventList,
  SetupResponse,
  TrustedDeviceList,
  TwoFactorStatus,
} from '../../ui/client/types'
import { API_PATHS as P, API_PREFIXES } from '../../shared/api-paths'
import { isValidCode, steppedUp } from './authenticator-handlers'
import * as f from './fixtures'
import { apiError, route } from './respond'
import { mockState } from './state'

const isValid = (code: string) => code === f.VALID_CODE

/**
 * A `{ code }` body, or none (or no `code`): then the session must be within its step-up window.
 * Answers the error to send (401 INVALID_CODE, 403 STEP_UP_REQUIRED), or null when it passes.
 */
async function codeOrStepUp(request: Request, accepts: (code: string) => boolean) {
  const text = await request.text()
  const code = text ? (JSON.parse(text) as Partial<CodeBody>).code : undefined
  if (code === undefined) return steppedUp() ? null : apiError(403, 'STEP_UP_REQUIRED')
  return accepts(code) ? null : apiError(401, 'INVALID_CODE')
}

function status(): TwoFactorStatus {
  if (mockState.fenced) return f.statusRequiredNow
  if (!mockState.twoFactorEnabled) return f.statusDisabled
  const remaining = mockState.codeSlots.filter((slot) => !slot.usedAt).length
  return {
    ...f.statusEnabled,
    backupCodes: { ...f.statusEnabled.backupCodes, total: mockState.codeSlots.length, remaining },
    trustedDevices: mockState.devices.length,
  }
}

/** What a fenced session may still reach (api/middleware/session.ts). */
function fenceExempt(method: string, path: string) {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`)
  return (
    path.startsWith(`${API_PREFIXES.auth}/`) ||
    (method === 'GET' && path === P.twoFactor.status) ||
    under(P.twoFactor.setup) ||
    under(P.twoFactor.passkeys)
  )
}

/**
 * The policy's fence: while {@link mockState.fenced}, everything but the status, setup and
 * passkeys answers 403 TWO_FACTOR_SETUP_REQUIRED. Put in front of the other handlers.
 */
export const fenceHandlers = [
  http.all(route('/api/*'), ({ request }) => {
    const path = new URL(request.url).pathname
    if (!mockState.fenced || fenceExempt(request.method, path)) return undefined
    return apiError(403, 'TWO_FACTOR_SETUP_REQUIRED')
  }),
]

/** The signed-in user's own second factor. Codes: {@link f.VALID_CODE}, {@link f.VALID_BACKUP_CODE}. */
export const twoFactorHandlers = [
  http.get(route(P.twoFactor.status), () => HttpResponse.json<TwoFactorStatus>(status())),
  http.post(route(P.twoFactor.setup), () =>
    mockState.twoFactorEnabled
      ? apiError(409, 'ALREADY_ENABLED')
      : HttpResponse.json<SetupResponse>(f.setupResponse),
  ),
  http.post(route(P.twoFactor.setupVerify), async ({ request }) => {
    const { code } = (await request.json()) as CodeBody
    if (!isValid(code)) return apiError(401, 'INVALID_CODE')
    mockState.twoFactorEnabled = true
    mockState.fenced = false
    mockState.codeSlots = f.makeCodeSlots(0)
    mockState.authenticators = [
      { ...f.authenticators[0], createdAt: new Date().toISOString(), lastUsedAt: null },
    ]
    return HttpResponse.json<EnabledResponse>({ enabled: true, backupCodes: f.makeBackupCodes() })
  }),
  http.post(route(P.twoFactor.disable), async ({ request }) => {
    const refused = await codeOrStepUp(request, isValidCode)
    if (refused) return refused
    mockState.twoFactorEnabled = false
    mockState.codeSlots = []
    mockState.devices = []
    mockState.authenticators = []
    mockState.passkeyIds = {}
    return HttpResponse.json<DisabledResponse>({ enabled: false })
  }),
  http.get(route(P.twoFactor.backupCodes), () =>
    HttpResponse.json<BackupCodeList>({ codes: mockState.codeSlots }),
  ),
  http.post(route(P.twoFactor.backupCodes), async ({ request }) => {
    const refused = await codeOrStepUp(request, isValid)
    if (refused) return refused
    mockState.regenerations += 1
    mockState.codeSlots = f.makeCodeSlots(0)
    return HttpResponse.json<BackupCodesResponse>({
      backupCodes: f.makeBackupCodes(mockState.regenerations),
    })
  }),
  http.get(route(P.twoFactor.trustedDevices), () =>
    HttpResponse.json<TrustedDeviceList>({ devices: mockState.devices }),
  ),
  http.delete(route(P.twoFactor.trustedDevice), ({ params }) => {
    const before = mockState.devices.length
    mockState.devices = mockState.devices.filter((device) => device.id !== params.id)
    if (mockState.devices.length === before) return apiError(404, 'NOT_FOUND')
    return new HttpResponse(null, { status: 204 })
  }),
  http.delete(route(P.twoFactor.trustedDevices), () => {
    mockState.devices = []
    return new HttpResponse(null, { status: 204 })
  }),
  http.get(route(P.twoFactor.events), () => HttpResponse.json<EventList>({ events: f.events })),
]
