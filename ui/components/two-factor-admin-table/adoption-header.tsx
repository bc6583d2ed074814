import type { Stats } from '../../client/types'
import type { ResourceState } from '../../primitives/hooks'
import { Notice, Spinner } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'

/** Users with 2FA out of all users, as a sentence and a bar. */
export function AdoptionHeader({ stats }: { stats: ResourceState<Stats> }) {
  const { messages, errorMessage } = useTwoFactor()
  const m = messages.admin
  if (!stats.data) {
    return stats.status === 'error' ? (
      <Notice tone="error">{errorMessage(stats.error)}</Notice>
    ) : (
      <Spinner label={messages.common.loading} />
    )
  }
  const { twoFactorUsers, totalUsers } = stats.data
  const percent = totalUsers ? Math.round((twoFactorUsers / totalUsers) * 100) : 0
  return (
    <div data-slot="adoption" data-state={percent === 100 ? 'complete' : 'partial'}>
      <p data-slot="adoption-text">{m.adoption(twoFactorUsers, totalUsers, percent)}</p>
      <div
        data-slot="adoption-bar"
        role="progressbar"
        aria-label={m.adoptionLabel}
        aria-valuemin={0}
        aria-valuemax={totalUsers}
        aria-valuenow={twoFactorUsers}
        aria-valuetext={`${percent}%`}
      >
        <div data-slot="adoption-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}
