/**
 * The demo app: `npm run demo:dev` (Vite dev server, `/api` proxied to the API on
 * TWOFOLD_API_URL, default http://127.0.0.1:8787) and `npm run build:demo` (to demo/dist, which
 * `npm start` serves). The kit is imported as `twofold/react`, aliased to ../ui (kit-alias.ts).
 */
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { DEMO_NONCE_PLACEHOLDER } from '../api/lib/demo-nonce'
import { kitAlias } from './kit-alias.ts'

const demoRoot = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const apiTarget = process.env.TWOFOLD_API_URL ?? 'http://127.0.0.1:8787'

export default defineConfig({
  root: demoRoot,
  base: '/',
  plugins: [react()],
  // The server puts each answer's CSP nonce here (api/node.ts); main.tsx hands it to the kit.
  html: { cspNonce: DEMO_NONCE_PLACEHOLDER },
  resolve: { alias: kitAlias },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: false,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': {
        target: apiTarget,
        changeOrigin: true,
        // The API refuses cookie-authenticated writes from other origins (CSRF). Requests from
        // the dev server's own page are same-origin for the user, so present them as such;
        // anything from elsewhere keeps its Origin and is still refused.
        configure(proxy) {
          proxy.on('proxyReq', (proxyReq, req) => {
            const origin = req.headers.origin
            if (origin && new URL(origin).host === req.headers.host) {
              proxyReq.setHeader('origin', new URL(apiTarget).origin)
            }
          })
        },
      },
    },
  },
})
