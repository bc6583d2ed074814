import type { Decorator } from '@storybook/react-vite'
import { useEffect } from 'react'
import { TwoFactorProvider } from 'twofold/react'

/** Wraps every story (and every composed story in tests) in the provider; sets the theme. */
export const withTwoFactorProvider: Decorator = (Story, context) => {
  const theme = (context.globals?.theme as string | undefined) ?? 'light'
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])
  return (
    <TwoFactorProvider baseUrl="" locale="en-US">
      <Story />
    </TwoFactorProvider>
  )
}
