import type { Preview } from '@storybook/react-vite'
import { initialize, mswLoader } from 'msw-storybook-addon'
import { handlers } from '../test/msw/handlers'
import 'twofold/styles.css'
import { withTwoFactorProvider } from './decorators'

// The shared handlers answer every route; a story's `parameters.msw.handlers` go in front.
initialize({ onUnhandledRequest: 'bypass', quiet: true }, handlers)

const preview: Preview = {
  decorators: [withTwoFactorProvider],
  loaders: [mswLoader],
  parameters: {
    a11y: { test: 'error' },
    layout: 'padded',
    controls: { matchers: { date: /At$|Deadline$/ } },
  },
  globalTypes: {
    theme: {
      description: 'Color theme of the kit',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: ['light', 'dark'],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
}

export default preview
