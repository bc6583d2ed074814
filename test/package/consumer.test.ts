/**
 * A new user's app: a fresh Vite + React + TypeScript project in a temporary folder (outside
 * this repository) installs the packed tarball from npm, typechecks (a wrong prop fails), builds,
 * and in Chromium signs in through the installed SignInForm, code step included, against
 * the `npm start` server on another site (http://localhost:<app> → http://127.0.0.1:<api>): CORS for the
 * trusted origin, and the session held as a Bearer token by the client.
 */
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { totpAt } from '../../api/lib/totp'
import { launchChromium } from '../e2e/browser'
import { freePort, startTestServer, type RunningServer } from '../e2e/server'
import { ROOT } from './pack'

const tarball = inject('tarball')
const devDependencies = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .devDependencies as Record<string, string>
/** What the app installs beside twofold, at the versions this repository uses. */
const APP_PACKAGES = [
  'react',
  'react-dom',
  'vite',
  '@vitejs/plugin-react',
  'typescript',
  '@types/react',
  '@types/react-dom',
].map((name) => `${name}@${devDependencies[name]}`)

let app: string
let appUrl: string
let api: RunningServer
let site: Server
let browser: Browser

/** The caller's environment without npm's lifecycle variables (they point at this repository). */
function cleanEnv(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
  )
  return { ...env, NO_COLOR: '1', ...extra }
}

/**
 * Runs a command in the app's folder. Asynchronous on purpose: a blocked event loop would keep
 * fetch's pooled sockets past the server's keep-alive and fail the next request.
 */
function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: app, env: cleanEnv(env), timeout: 240_000 })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (status) => resolve({ status, output: output.trim() }))
  })
}

function write(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true })
    writeFileSync(join(app, path), text.trimStart())
  }
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
}

/** Serves the app's build (dist/), index.html for every other path. */
function serveBuild(dir: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    let file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dir, 'index.html')
    res.writeHead(200, {
      'content-type': TYPES[extname(file) as keyof typeof TYPES] ?? 'application/octet-stream',
    })
    res.end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

const APP_FILES = {
  'package.json': `
{ "name": "my-app", "private": true, "type": "module" }
`,
  'tsconfig.json': `
{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "jsx": "react-jsx",
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["vite/client"]
  },
  "include": ["src"]
}
`,
  // The same app with one more file, whose mistakes must be type errors.
  'tsconfig.wrong.json': `
{ "extends": "./tsconfig.json", "include": ["src", "wrong"] }
`,
  // A Node service beside it, resolved the way Node resolves ESM.
  'tsconfig.server.json': `
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": []
  },
  "include": ["server"]
}
`,
  'vite.config.ts': `
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({ plugins: [react()] })
`,
  'index.html': `
<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>My app</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`,
  'src/main.tsx': `
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'twofold/styles.css'
import { App } from './App'

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>)
`,
  'src/App.tsx': `
import { useState } from 'react'
import {
  SignInForm,
  TwoFactorProvider,
  createTwoFactorClient,
  webStorageTokenStore,
  type SignedIn,
} from 'twofold/react'

// The API is on another site: the client keeps the session token and sends it as Bearer.
const client = createTwoFactorClient({
  baseUrl: import.meta.env.VITE_TWOFOLD_API_URL,
  bearer: webStorageTokenStore(sessionStorage),
})

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null)
  const [confirmed, setConfirmed] = useState<string | null>(null)

  const onSignedIn = async (result: SignedIn) => {
    setSignedIn(result)
    const { user } = await client.auth.getSession()
    setConfirmed(user.email)
  }

  return (
    <TwoFactorProvider client={client}>
      <main>
        {signedIn ? (
          <p role="status">
            Welcome {signedIn.user.email} (second factor: {signedIn.method ?? 'none'}); the API
            says: {confirmed ?? '…'}
          </p>
        ) : (
          <SignInForm onSignedIn={onSignedIn} />
        )}
      </main>
    </TwoFactorProvider>
  )
}
`,
  'wrong/wrong-props.tsx': `
import { SignInForm, TwoFactorChallenge, type Challenge, type SignedIn } from 'twofold/react'

declare const challenge: Challenge
declare const answer: SignedIn

export const misspelt = <SignInForm onSignedin={() => {}} />
export const oldName = <TwoFactorChallenge challenge={challenge} onSuccess={() => {}} />
export const wrongType = <SignInForm defaultEmail={42} />
// The answer types (inferred from the API's schemas) reach the app as types, not \`any\`.
export const notAny: number = answer.user.email
`,
  'server/index.ts': `
import { createClient } from '@libsql/client'
import { createApp, migrate, type CreateAppOptions } from 'twofold/server'

const db = createClient({ url: 'file:./twofold.db' })
await migrate(db)
declare const secret: string
const options: CreateAppOptions = { db, secret, issuer: 'Acme' }
const app = createApp(options)
const response: Response = await app.request('/api/health')
console.log(response.status)
`,
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'twofold-consumer-'))
  write(APP_FILES)
  const install = await run('npm', [
    'install',
    tarball,
    ...APP_PACKAGES,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ])
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.output}`)

  const appPort = await freePort()
  let apiPort = await freePort()
  while (apiPort === appPort) apiPort = await freePort()
  appUrl = `http://localhost:${appPort}`
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const build = await run(join(app, 'node_modules/.bin/vite'), ['build'], {
    VITE_TWOFOLD_API_URL: apiUrl,
  })
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.output}`)
  ;[site, api] = await Promise.all([
    serveBuild(join(app, 'dist'), appPort),
    // npm start's server, without the demo build (the e2e journey may be building it now).
    startTestServer({
      port: apiPort,
      entry: 'api/node.ts',
      env: { TWOFOLD_TRUSTED_ORIGINS: appUrl },
    }),
  ])
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await api?.stop()
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)))
  if (app) rmSync(app, { recursive: true, force: true })
})

describe('a fresh Vite + React app using the installed package', () => {
  it('installs twofold from the tarball, with its peers from the app', () => {
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules/twofold/package.json'), 'utf8'),
    )
    expect(installed.version).toBe('0.2.0')
    expect(existsSync(join(app, 'node_modules/twofold/drizzle/meta/_journal.json'))).toBe(true)
    // twofold brings no React of its own: one copy, the app's.
    expect(existsSync(join(app, 'node_modules/twofold/node_modules/react'))).toBe(false)
  })

  it('typechecks the app and a Node service against the published types', async () => {
    const tsc = join(app, 'node_modules/.bin/tsc')
    const web = await run(tsc, ['-p', 'tsconfig.json'])
    expect(web.output).toBe('')
    expect(web.status).toBe(0)
    const server = await run(tsc, ['-p', 'tsconfig.server.json'])
    expect(server.output).toBe('')
    expect(server.status).toBe(0)
  })

  it('makes a wrong prop a type error', async () => {
    const wrong = await run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.wrong.json'])
    expect(wrong.status).not.toBe(0)
    // One error per wrong line, each naming the wrong prop; src/ itself stays clean.
    const errors = wrong.output.split(/\n(?=\S)/).filter((text) => /error TS\d+/.test(text))
    expect(errors).toHaveLength(4)
    expect(errors[0]).toMatch(/^wrong\/wrong-props\.tsx\(6,[\s\S]*'onSignedin' does not exist/)
    expect(errors[1]).toMatch(/^wrong\/wrong-props\.tsx\(7,[\s\S]*'onSuccess' does not exist/)
    expect(errors[2]).toMatch(/^wrong\/wrong-props\.tsx\(8,[\s\S]*'number' is not assignable/)
    expect(errors[3]).toMatch(/^wrong\/wrong-props\.tsx\(10,[\s\S]*'string' is not assignable/)
  })

  it('signs in through the installed SignInForm, code step included, against the API on another site', async () => {
    // An account with TOTP, made through the API the way any client would.
    const call = async (path: string, body?: unknown, token?: string) => {
      const response = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      expect(response.ok, `${path}: ${response.status}\n${api.output()}`).toBe(true)
      return response.json()
    }
    const email = 'ada@example.com'
    const password = 'a long password'
    const { session } = await call('/api/auth/sign-up', { email, password })
    const { secret } = await call('/api/two-factor/setup', undefined, session.token)
    await call(
      '/api/two-factor/setup/verify',
      { code: await totpAt(secret, Date.now()) },
      session.token,
    )

    const page = await browser.newPage()
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(request.url()))
    try {
      await page.goto(appUrl)
      await page.getByLabel('Email').fill(email)
      await page.getByLabel('Password').fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      // The refusal's error shape reached the page (CORS on errors): its message shows.
      await page.getByText('The email or password is wrong.').waitFor()

      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.locator('[data-slot="two-factor-challenge"]').waitFor()
      // Setup claimed the current 30-s step; the next step's code is fresh and in the window.
      await page.keyboard.type(await totpAt(secret, Date.now() + 30_000))
      await page.keyboard.press('Enter')

      const status = page.getByRole('status').filter({ hasText: 'Welcome' })
      await status.getByText(`the API says: ${email}`).waitFor()
      expect(await status.textContent()).toContain(`Welcome ${email} (second factor: totp)`)
      // The session is the Bearer token in sessionStorage; the API's cookie never reached the page.
      expect(await page.evaluate(() => sessionStorage.getItem('twofold.session'))).toMatch(
        /^\S{32,}$/,
      )
      expect((await page.context().cookies(api.url)).map((cookie) => cookie.name)).toEqual([])
      expect(failed).toEqual([])
    } finally {
      await page.close()
    }
  })
})
