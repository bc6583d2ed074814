import type { Db } from '../db/client'
import { outbox } from '../db/schema'
import { newId } from './crypto'

export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
}

/** Delivers mail. Twofold never waits on it to answer a request, and never fails because of it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>
}

/**
 * The default: records each message in the `outbox` table (the demo shows it) and logs that it
 * did — the recipient and subject only, never the body, which may hold a code.
 */
export function outboxMailer(db: Db, log: (line: string) => void = console.log): Mailer {
  return {
    async send(message) {
      await db.insert(outbox).values({ id: newId('msg'), ...message, createdAt: Date.now() })
      log(`[twofold] mail to ${message.to}: ${message.subject}`)
    },
  }
}

export interface HttpMailerOptions {
  /** Where the JSON `{ to, subject, text, html }` is POSTed. */
  url: string
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string
  /** Attempts before giving up. @default 3 */
  attempts?: number
  fetch?: typeof fetch
}

/** Posts mail to an HTTP endpoint (works in Workers); retries, then logs the failure. */
export function httpMailer({
  url,
  token,
  attempts = 3,
  fetch: doFetch = fetch,
}: HttpMailerOptions): Mailer {
  return {
    async send(message) {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (token) headers.authorization = `Bearer ${token}`
      let lastError = ''
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await doFetch(url, {
            method: 'POST',
            headers,
            body: JSON.stringify(message),
          })
          if (response.ok) return
          lastError = `HTTP ${response.status}`
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error)
        }
        if (attempt < attempts) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt))
      }
      console.error(`[twofold] mail to ${message.to} (${message.subject}) failed: ${lastError}`)
    },
  }
}
