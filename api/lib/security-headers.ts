/**
 * Security headers. API answers are JSON that no page may frame, sniff or cache: a CSP that
 * allows nothing, `X-Frame-Options: DENY`, `nosniff`, no referrer, and `Cache-Control: no-store`
 * (answers carry TOTP secrets, backup codes and session tokens). The demo and the API reference
 * get their own CSP (api/node.ts, api/lib/api-docs.ts).
 */
import { createMiddleware } from 'hono/factory'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import { DEMO_NONCE_PLACEHOLDER } from './demo-nonce'

export { DEMO_NONCE_PLACEHOLDER }

export const apiHeaders = () => {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
  })
  return createMiddleware(async function apiHeaders(c, next) {
    await headers(c, next)
    c.res.headers.set('Cache-Control', 'no-store')
  })
}

/**
 * The demo's pages: its own scripts and stylesheets only (the Vite build has no inline script),
 * plus the `<style>` elements that the kit's dependencies insert (Radix's scroll lock, input-otp),
 * which carry this answer's nonce; images from itself and data: URLs (the QR code), requests to
 * its own origin. Never framed. The page gets the nonce through `demoPage`.
 */
export const demoHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", NONCE],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Same-origin requests keep their Origin header (the API's CSRF check needs it).
    referrerPolicy: 'same-origin',
  })
