/**
 * The demo, the stories and the UI tests import the kit by its published names, resolved here
 * to the sources: `twofold/react` → ui/index.ts, `twofold/styles.css` → ui/styles.css. So they
 * use only what the package exports (tsconfig.json `paths` says the same to TypeScript).
 */
import { fileURLToPath } from 'node:url'

const ui = (file: string) => fileURLToPath(new URL(`../ui/${file}`, import.meta.url))

export const kitAlias = [
  { find: /^twofold\/react$/, replacement: ui('index.ts') },
  { find: /^twofold\/styles\.css$/, replacement: ui('styles.css') },
]
