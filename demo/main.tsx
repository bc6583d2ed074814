import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'twofold/styles.css'
import './demo.css'
import { App } from './app'

const root = document.getElementById('root')
if (!root) throw new Error('The demo needs an element with id "root".')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
