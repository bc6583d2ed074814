import { composeStories } from '@storybook/react-vite'
import { waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import * as authenticators from '../../stories/Authenticators.stories'
import * as backupCodes from '../../stories/BackupCodesPanel.stories'
import * as signIn from '../../stories/SignInForm.stories'
import * as stepUp from '../../stories/StepUpDialog.stories'
import * as devices from '../../stories/TrustedDevices.stories'
import * as adminTable from '../../stories/TwoFactorAdminTable.stories'
import * as challenge from '../../stories/TwoFactorChallenge.stories'
import * as policy from '../../stories/TwoFactorPolicyForm.stories'
import * as settings from '../../stories/TwoFactorSettings.stories'
import * as setup from '../../stories/TwoFactorSetupDialog.stories'
import * as trends from '../../stories/TwoFactorTrends.stories'
import { resetMockState } from '../msw/handlers'
import { expectNoAxeViolations, renderStory } from './helpers'

const files = {
  authenticators,
  stepUp,
  backupCodes,
  signIn,
  devices,
  adminTable,
  challenge,
  policy,
  settings,
  setup,
  trends,
}

const settled = () => document.querySelector('[data-slot="loading"]') === null

/** Every story's first render settles and passes axe, whatever state it stubs. */
describe.each(Object.entries(files))('%s stories', (_file, module) => {
  // Typed by hand: over this many modules, TypeScript's inference gives up (unknown).
  const composed = Object.entries(composeStories(module)) as Array<
    [string, Parameters<typeof renderStory>[0]]
  >
  it('has at least three stories', () => {
    expect(composed.length).toBeGreaterThanOrEqual(3)
  })
  it.each(composed)('%s renders without axe violations', async (name, Story) => {
    resetMockState({ twoFactorEnabled: module !== setup })
    await renderStory(Story)
    // Loading stories never settle (some only load once their play function submits).
    if (name !== 'Loading') await waitFor(() => expect(settled()).toBe(true))
    await expectNoAxeViolations()
  })
})
