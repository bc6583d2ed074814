import type { Deps } from '../context'
import type { MailMessage } from './mailer'

export type Notice =
  | { kind: 'two_factor_enabled' }
  | { kind: 'two_factor_disabled' }
  | { kind: 'two_factor_reset'; reason?: string }
  | { kind: 'backup_code_used'; remaining: number }
  | { kind: 'account_locked'; until: number }
  | { kind: 'email_code'; code: string; minutes: number }
  | { kind: 'password_changed' }
  | { kind: 'authenticator_added' }
  | { kind: 'authenticator_removed' }

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function compose(issuer: string, notice: Notice): Omit<MailMessage, 'to'> {
  const unexpected = 'If this was not you, change your password and contact your administrator.'
  const [subject, lines]: [string, string[]] = (() => {
    switch (notice.kind) {
      case 'two_factor_enabled':
        return [
          'Two-factor authentication turned on',
          ['Two-factor authentication is now on for your account.', unexpected],
        ]
      case 'two_factor_disabled':
        return [
          'Two-factor authentication turned off',
          ['Two-factor authentication was turned off for your account.', unexpected],
        ]
      case 'two_factor_reset':
        return [
          'Your two-factor authentication was reset',
          [
            'An administrator reset two-factor authentication on your account. ' +
              'Your trusted devices and sessions were signed out.',
            ...(notice.reason ? [`Reason given: ${notice.reason}`] : []),
          ],
        ]
      case 'backup_code_used':
        return [
          'A backup code was used',
          [
            `A backup code was used to sign in. ${notice.remaining} backup codes are left.`,
            unexpected,
          ],
        ]
      case 'account_locked':
        return [
          'Sign-in locked after failed attempts',
          [
            'Too many wrong codes were entered. ' +
              `Two-factor sign-in is locked until ${new Date(notice.until).toISOString()}.`,
            unexpected,
          ],
        ]
      case 'authenticator_added':
        return [
          'An authenticator was added',
          ['A new authenticator app or passkey can now sign in to your account.', unexpected],
        ]
      case 'authenticator_removed':
        return [
          'An authenticator was removed',
          ['An authenticator app or passkey was removed from your account.', unexpected],
        ]
      case 'password_changed':
        return [
          'Your password was changed',
          [
            'The password of your account was changed. ' +
              'Your other sessions were signed out and your trusted devices forgotten.',
            'If this was not you, contact your administrator at once.',
          ],
        ]
      case 'email_code':
        return [
          `Your ${issuer} sign-in code`,
          [
            `Your sign-in code is ${notice.code}. It expires in ${notice.minutes} minutes.`,
            'If you did not try to sign in, change your password.',
          ],
        ]
    }
  })()
  return {
    subject: `${issuer}: ${subject}`,
    text: lines.join('\n\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
  }
}

/** Tells the user about a change to their account's security, without holding up the request. */
export function notify(deps: Deps, to: string, notice: Notice): void {
  const message = { to, ...compose(deps.issuer, notice) }
  deps.runInBackground(() => deps.mailer.send(message))
}
