import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { SetupResponse } from '../../client/types'
import { copyText } from '../../primitives/code-sheet'
import { OtpField } from '../../primitives/otp-field'
import { Button, LiveMessage } from '../../primitives/parts'
import { useTwoFactor } from '../../provider/provider'

/** The QR code as an image: the server's SVG is never injected into the page's DOM. */
export function qrCodeSrc(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

export function ScanStep({ setup, onContinue }: { setup: SetupResponse; onContinue: () => void }) {
  const { messages } = useTwoFactor()
  const m = messages.setup
  const [revealed, setRevealed] = useState(false)
  const [copied, setCopied] = useState<boolean | null>(null)
  // `ABCD EFGH …`: the API sends the key in groups of four, as authenticator apps show it.
  const key = setup.manualEntryKey

  return (
    <div data-slot="setup-scan">
      <img
        data-slot="qr-code"
        src={qrCodeSrc(setup.qrCodeSvg)}
        alt={m.qrAlt}
        width={192}
        height={192}
      />
      <div data-slot="manual-key" data-state={revealed ? 'revealed' : 'hidden'}>
        <p data-slot="hint">{m.manualTitle}</p>
        <p data-slot="key-row">
          <span data-slot="label">{m.manualKeyLabel}: </span>
          {revealed ? (
            <code data-slot="key">{key}</code>
          ) : (
            <code data-slot="key" aria-hidden="true">
              {key.replace(/\S/g, '•')}
            </code>
          )}
        </p>
        <div data-slot="key-actions">
          <Button aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
            {revealed ? m.hideKey : m.showKey}
          </Button>
          <Button onClick={async () => setCopied(await copyText(key.replace(/\s/g, '')))}>
            {m.copyKey}
          </Button>
        </div>
        <LiveMessage tone={copied === false ? 'error' : 'success'} data-slot="copy-status">
          {copied === null ? null : copied ? messages.common.copied : messages.common.copyFailed}
        </LiveMessage>
      </div>
      <div data-slot="actions">
        <Button variant="primary" autoFocus onClick={onContinue}>
          {messages.common.continue}
        </Button>
      </div>
    </div>
  )
}

export interface ConfirmStepProps {
  pending: boolean
  error: string | null
  /** Count of refused codes: each one clears the field and focuses it again. */
  rejections: number
  onVerify: (code: string) => void
  onBack: () => void
}

export function ConfirmStep({ pending, error, rejections, onVerify, onBack }: ConfirmStepProps) {
  const { messages } = useTwoFactor()
  const [code, setCode] = useState('')
  const inputRef = useRef<HTMLInputElement>(null)
  const errorId = useId()

  // A network failure keeps the code for a retry; a refused one is cleared.
  useEffect(() => {
    if (!rejections) return
    setCode('')
    inputRef.current?.focus()
  }, [rejections])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (code.length === 6) onVerify(code)
  }

  return (
    <form data-slot="setup-confirm" onSubmit={submit} noValidate>
      <OtpField
        ref={inputRef}
        label={messages.common.codeLabel}
        value={code}
        onChange={setCode}
        onComplete={onVerify}
        invalid={Boolean(error)}
        errorId={errorId}
        autoFocus
      />
      <div id={errorId}>
        <LiveMessage>{error}</LiveMessage>
      </div>
      <div data-slot="actions">
        <Button onClick={onBack}>{messages.common.back}</Button>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? messages.setup.confirming : messages.setup.confirm}
        </Button>
      </div>
    </form>
  )
}
