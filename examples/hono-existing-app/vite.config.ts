/** The example's page. In this repository the kit is its sources (demo/kit-alias.ts). */
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { kitAlias } from '../../demo/kit-alias.ts'

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  resolve: { alias: kitAlias },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    reportCompressedSize: false,
  },
})
