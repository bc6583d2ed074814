import { render, type RenderOptions } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import axe from 'axe-core'
import type { RequestHandler } from 'msw'
import type { ReactElement, ReactNode } from 'react'
import { expect } from 'vitest'
import { TwoFactorProvider } from '../../ui'
import { server } from './server'

function Providers({ children }: { children?: ReactNode }) {
  return (
    <TwoFactorProvider locale="en-US">
      <main>{children}</main>
    </TwoFactorProvider>
  )
}

/** Renders inside the provider and a `<main>` landmark, with a user-event session. */
export function renderKit(ui: ReactElement, options?: RenderOptions) {
  return { user: userEvent.setup(), ...render(ui, { wrapper: Providers, ...options }) }
}

interface ComposedStory {
  (props?: object): ReactElement | null
  parameters?: { msw?: { handlers?: RequestHandler[] } | RequestHandler[] }
}

/**
 * Renders a composed story with its MSW handlers in front of the shared ones. Story loaders are
 * not run: tests set the mock state themselves.
 */
export async function renderStory(Story: ComposedStory) {
  const msw = Story.parameters?.msw
  const storyHandlers = Array.isArray(msw) ? msw : (msw?.handlers ?? [])
  if (storyHandlers.length) server.use(...storyHandlers)
  return {
    user: userEvent.setup(),
    ...render(<Story />, { wrapper: ({ children }) => <main>{children}</main> }),
  }
}

/** axe-core over the element (the whole body by default); jsdom cannot compute colors. */
export async function expectNoAxeViolations(element: Element = document.body) {
  const results = await axe.run(element, { rules: { 'color-contrast': { enabled: false } } })
  const found = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
  expect(found).toEqual([])
}
