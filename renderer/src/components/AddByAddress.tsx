// "Add by address": a machine mDNS cannot find (another subnet, behind a router) is added by its
// host and control port. The engine dials it at once; a refusal is shown here in one sentence
// (unreachable, not a Swarmdrop device, key changed).
import { useState } from 'react'
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

/** "HOST" or "HOST:PORT"; the engine checks the host itself (and says why it is not one). */
export function splitHostPort (text: string): { readonly host: string; readonly port?: number } | string {
  const t = text.trim()
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(t)
  if (m === null || m[1] === undefined) return 'Type an address as HOST or HOST:PORT, for example 10.1.2.30 or 10.1.2.30:47620.'
  if (m[2] === undefined) return { host: m[1] }
  const port = Number(m[2])
  if (port < 1 || port > 65535) return 'The port must be a number from 1 to 65535.'
  return { host: m[1], port }
}

export function AddByAddress () {
  const pair = useUi(s => s.pair)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const add = async () => {
    const target = splitHostPort(text)
    if (typeof target === 'string') {
      setError(target)
      return
    }
    setError(null)
    setBusy(true)
    const result = await pair(target.host, target.port)
    setBusy(false)
    if (result.ok) setText('')
    else setError(result.error.message)
  }

  return (
    <form
      className="card add-by-address"
      aria-labelledby="add-by-address-title"
      data-testid="add-by-address"
      onSubmit={e => {
        e.preventDefault()
        void add()
      }}
    >
      <h3 id="add-by-address-title">Add by address</h3>
      <p className="hint">For a machine on another network that is not found by itself: its address, and its control port if not 47620. Its key is pinned now.</p>
      <div className="field-row">
        <input
          type="text"
          aria-label="Address of the machine (HOST or HOST:PORT)"
          aria-invalid={error !== null}
          value={text}
          placeholder="10.1.2.30 or build-07.example:47620"
          spellCheck={false}
          data-testid="pair-input"
          onChange={e => { setText(e.currentTarget.value); setError(null) }}
        />
        <button type="submit" className="button button-primary" data-testid="pair-add" disabled={busy || text.trim() === ''}>
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
      {error !== null && <p className="field-error" role="alert" data-testid="pair-error">{sentence(error)}</p>}
    </form>
  )
}
