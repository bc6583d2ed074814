import type { StorybookConfig } from '@storybook/react-vite'
import { mergeConfig } from 'vite'
import { kitAlias } from '../demo/kit-alias.ts'

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-a11y'],
  framework: { name: '@storybook/react-vite', options: {} },
  // mockServiceWorker.js lives here, committed, so MSW works offline.
  staticDirs: ['./public'],
  core: { disableTelemetry: true },
  typescript: { reactDocgen: 'react-docgen' },
  // Stories import the kit as `twofold/react`, like an app would.
  viteFinal: (vite) => mergeConfig(vite, { resolve: { alias: kitAlias } }),
}

export default config
