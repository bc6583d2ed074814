import { setNonce } from 'get-nonce'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'twofold/styles.css'
import './demo.css'
import { App } from './app'

// The CSP nonce of this page (api/node.ts): the <style> elements that Radix's scroll lock and
// input-otp insert carry it.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce
if (nonce) setNonce(nonce)

const root = document.getElementById('root')
if (!root) throw new Error('The demo needs an element with id "root".')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
