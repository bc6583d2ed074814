import { http, HttpResponse } from 'msw'
import type {
  AdminUser,
  AdminUserList,
  AuditList,
  DailyStats,
  OutboxList,
  Policy,
  PolicyBody,
  ResetBody,
  RoleBody,
  Stats,
  User,
  UserResponse,
} from '../../ui/client/types'
import { API_PATHS as P } from '../../shared/api-paths'
import * as f from './fixtures'
import { apiError, route } from './respond'
import { mockState } from './state'

const toUser = ({ id, email, name, role, twoFactorEnabled }: AdminUser): User => ({
  id,
  email,
  name,
  role,
  twoFactorEnabled,
})

function findUser(id: unknown) {
  return mockState.users.find((user) => user.id === id)
}

/** Administration routes over {@link mockState.users}; the signed-in admin is Ada. */
export const adminHandlers = [
  http.get(route(P.admin.users), ({ request }) => {
    const params = new URL(request.url).searchParams
    const q = params.get('q')?.toLowerCase()
    const twoFactor = params.get('twoFactor')
    const role = params.get('role')
    const page = Number(params.get('page') ?? 1)
    const pageSize = Number(params.get('pageSize') ?? 25)
    if (!(page >= 1 && pageSize >= 1 && pageSize <= 100)) {
      return apiError(400, 'VALIDATION_FAILED', {
        issues: [{ path: ['pageSize'], message: 'Out of range' }],
      })
    }
    const matches = mockState.users.filter(
      (user) =>
        (!q || user.email.includes(q) || user.name?.toLowerCase().includes(q)) &&
        (!twoFactor || user.twoFactorEnabled === (twoFactor === 'enabled')) &&
        (!role || user.role === role),
    )
    const users = matches.slice((page - 1) * pageSize, page * pageSize)
    return HttpResponse.json<AdminUserList>({ users, total: matches.length, page, pageSize })
  }),
  http.patch(route(P.admin.user), async ({ params, request }) => {
    const user = findUser(params.id)
    if (!user) return apiError(404, 'NOT_FOUND')
    const { role } = (await request.json()) as RoleBody
    const admins = mockState.users.filter((each) => each.role === 'admin')
    if (role === 'user' && user.role === 'admin' && admins.length === 1) {
      return apiError(409, 'LAST_ADMIN')
    }
    user.role = role
    return HttpResponse.json<User>(toUser(user))
  }),
  http.post(route(P.admin.userReset), async ({ params, request }) => {
    const user = findUser(params.id)
    if (!user) return apiError(404, 'NOT_FOUND')
    if (user.id === f.adaUser.id) return apiError(400, 'CANNOT_RESET_SELF')
    await (request.json() as Promise<ResetBody>)
    Object.assign(user, {
      twoFactorEnabled: false,
      twoFactorEnabledAt: null,
      backupCodesRemaining: 0,
      authenticators: { totp: 0, passkey: 0 },
    })
    return HttpResponse.json<UserResponse>({ user: toUser(user) })
  }),
  http.post(route(P.admin.userUnlock), ({ params }) => {
    const user = findUser(params.id)
    if (!user) return apiError(404, 'NOT_FOUND')
    user.lockedUntil = null
    return HttpResponse.json<UserResponse>({ user: toUser(user) })
  }),
  http.get(route(P.admin.policy), () => HttpResponse.json<Policy>(mockState.policy)),
  http.put(route(P.admin.policy), async ({ request }) => {
    const body = (await request.json()) as PolicyBody
    const days = body.gracePeriodDays
    if (!Number.isInteger(days) || days < 0 || days > 90) {
      return apiError(400, 'VALIDATION_FAILED', {
        issues: [{ path: ['gracePeriodDays'], message: 'Must be between 0 and 90.' }],
      })
    }
    mockState.policy = { ...mockState.policy, ...body }
    return HttpResponse.json<Policy>(mockState.policy)
  }),
  http.get(route(P.admin.stats), () => HttpResponse.json<Stats>(f.statsOf(mockState.users))),
  http.get(route(P.admin.dailyStats), ({ request }) => {
    const raw = new URL(request.url).searchParams.get('days')
    const days = raw === null ? 30 : Number(raw)
    if (!(Number.isInteger(days) && days >= 1 && days <= 365)) {
      return apiError(400, 'VALIDATION_FAILED', {
        issues: [{ path: ['days'], message: 'Too big: expected number to be <=365' }],
      })
    }
    return HttpResponse.json<DailyStats>({ days: f.makeDailyStats(days) })
  }),
  http.get(route(P.admin.audit), () =>
    HttpResponse.json<AuditList>({
      events: f.events,
      total: f.events.length,
      page: 1,
      pageSize: 25,
    }),
  ),
  http.get(route(P.admin.outbox), () =>
    HttpResponse.json<OutboxList>({
      messages: f.outbox,
      total: f.outbox.length,
      page: 1,
      pageSize: 25,
    }),
  ),
]
