import { useState } from 'react'
import { useTwoFactor } from '../provider/provider'
import { Button, LiveMessage } from './parts'

function downloadText(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

// Prints just the codes, from a hidden frame, so the page around them stays out of it.
function printLines(title: string, lines: string[]) {
  const frame = document.createElement('iframe')
  frame.hidden = true
  document.body.append(frame)
  const doc = frame.contentDocument
  const view = frame.contentWindow
  if (!doc || !view) return frame.remove()
  doc.title = title
  const heading = doc.createElement('h1')
  heading.textContent = title
  const list = doc.createElement('pre')
  list.textContent = lines.join('\n')
  doc.body.append(heading, list)
  view.focus()
  view.print()
  setTimeout(() => frame.remove(), 1000)
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

// A freshly issued set of backup codes with copy, download and print.
export function CodeSheet({ codes, autoFocus }: { codes: string[]; autoFocus?: boolean }) {
  const { messages } = useTwoFactor()
  const m = messages.backupCodes
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const text = `${m.fileTitle}\n\n${codes.join('\n')}\n`

  const copy = async () => setCopyState((await copyText(codes.join('\n'))) ? 'copied' : 'failed')

  return (
    <div data-slot="code-sheet">
      <ol data-slot="code-list" aria-label={m.list}>
        {codes.map((code) => (
          <li key={code} data-slot="code">
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div data-slot="code-actions">
        <Button onClick={copy} autoFocus={autoFocus}>
          {m.copyAll}
        </Button>
        <Button onClick={() => downloadText('twofold-backup-codes.txt', text)}>{m.download}</Button>
        <Button onClick={() => printLines(m.fileTitle, codes)}>{m.print}</Button>
      </div>
      <LiveMessage tone={copyState === 'failed' ? 'error' : 'success'} data-slot="copy-status">
        {copyState === 'copied'
          ? messages.common.copied
          : copyState === 'failed'
            ? messages.common.copyFailed
            : null}
      </LiveMessage>
    </div>
  )
}
