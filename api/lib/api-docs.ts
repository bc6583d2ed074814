/**
 * `GET /api/docs`: Swagger UI for the OpenAPI document. Its script and stylesheet come from a
 * CDN at one pinned version with subresource integrity, so a changed file is refused by the
 * browser; serving the 1.7 MB bundle from the package would not fit the Worker's size budget.
 * The hashes are those of the files of swagger-ui-dist at SWAGGER_UI_VERSION (a pinned dev
 * dependency; test/api/api-docs.test.ts recomputes them from node_modules).
 */
import type { Context } from 'hono'
import { html, raw } from 'hono/html'
import { NONCE, secureHeaders } from 'hono/secure-headers'

export const SWAGGER_UI_VERSION = '5.35.0'
const CDN = `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}`

/** The files the page loads, each with its `integrity` value (sha384 of the exact bytes). */
export const SWAGGER_UI_ASSETS = {
  script: {
    file: 'swagger-ui-bundle.js',
    url: `${CDN}/swagger-ui-bundle.js`,
    integrity: 'sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9',
  },
  stylesheet: {
    file: 'swagger-ui.css',
    url: `${CDN}/swagger-ui.css`,
    integrity: 'sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I',
  },
} as const

/**
 * Only the two pinned files, the page's own inline start-up script (by nonce), images from the
 * stylesheet (data: URLs), and requests to this API. Never framed.
 */
export const docsHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: [NONCE, SWAGGER_UI_ASSETS.script.url],
      styleSrc: [SWAGGER_UI_ASSETS.stylesheet.url],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Same-origin requests keep their Origin header (the API's CSRF check needs it).
    referrerPolicy: 'same-origin',
  })

/** The reference page; `docsHeaders()` must run before it (it sets the nonce). */
export function docsPage(c: Context, specUrl: string) {
  const nonce = c.get('secureHeadersNonce' as never) as string
  const { script, stylesheet } = SWAGGER_UI_ASSETS
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Twofold API reference</title>
          <link
            rel="stylesheet"
            href="${stylesheet.url}"
            integrity="${stylesheet.integrity}"
            crossorigin="anonymous"
          />
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script
            src="${script.url}"
            integrity="${script.integrity}"
            crossorigin="anonymous"
            nonce="${nonce}"
          ></script>
          <script nonce="${nonce}">
            window.ui = SwaggerUIBundle({
              url: ${raw(JSON.stringify(specUrl))},
              dom_id: '#swagger-ui',
              validatorUrl: null,
            })
          </script>
        </body>
      </html>`,
  )
}
