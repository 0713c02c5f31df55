// The confirmation before a distribution leaves this device: stop sending it (origin), cancel its
// download or remove a verified copy (recipient). Inline under the header, not a window.confirm:
// it says what will happen with the distribution's own figures, keeps the engine's error in place,
// and Escape or Keep closes it, giving the focus back to the button that opened it.
import { useEffect, useId, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import type { Distribution } from '../../../preload/api.js'
import { sentence } from '../format/format.js'
import { removePlan } from '../format/remove-plan.js'
import { useUi } from '../store/context.js'

/** Where the keyboard goes once the distribution has left: the next one's title, else the empty state's first action. */
function focusAfterRemoval (): void {
  setTimeout(() => {
    const target = document.getElementById('dist-title') ?? document.querySelector<HTMLElement>('main button')
    target?.focus()
  }, 0)
}

export function RemoveConfirm ({ dist, onKeep }: { readonly dist: Distribution; readonly onKeep: () => void }) {
  const remove = useUi(s => s.remove)
  const dismissError = useUi(s => s.dismissError)
  const plan = removePlan(dist)
  const [deleteFiles, setDeleteFiles] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const keep = useRef<HTMLButtonElement>(null)
  const id = useId()

  // Into the dialog, on its safe answer: Enter right away keeps everything.
  useEffect(() => { keep.current?.focus() }, [])
  // A failure re-enables the buttons: the keyboard is back where it was.
  useEffect(() => { if (error !== null) keep.current?.focus() }, [error])

  const option = plan.deleteOption
  const action = option !== null && deleteFiles ? option.confirm : plan.confirm
  const confirm = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    const result = await remove(dist.infoHash, option !== null ? { deleteFiles } : undefined)
    if (result.ok) {
      focusAfterRemoval()
      return
    }
    // Said here, beside the answer that failed, and not a second time in the message bar.
    dismissError()
    setError(sentence(result.error.message))
    setBusy(false)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'Escape') return
    e.stopPropagation()
    if (!busy) onKeep()
  }

  return (
    <section
      className="card confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      aria-busy={busy}
      data-testid="remove-dialog"
      data-kind={plan.kind}
      onKeyDown={onKeyDown}
    >
      <h3 id={`${id}-title`} className="confirm-title" title={dist.name}>{plan.title}</h3>
      <div id={`${id}-body`} className="confirm-body" data-testid="remove-consequences">
        {plan.consequences.map(c => <p key={c}>{c}</p>)}
        {option !== null && <p>{deleteFiles ? option.deleted : option.kept}</p>}
      </div>
      {option !== null && (
        <div className="confirm-choice">
          <label className="choice">
            <input type="checkbox" data-testid="remove-delete-files" checked={deleteFiles} disabled={busy} aria-describedby={`${id}-where`} onChange={e => setDeleteFiles(e.target.checked)} />
            <span>{option.label}</span>
          </label>
          <p id={`${id}-where`} className="hint confirm-where" data-testid="remove-delete-where">{option.detail}</p>
        </div>
      )}
      {error !== null && <p className="field-error" role="alert" data-testid="remove-error">{error}</p>}
      <div className="confirm-actions">
        <button type="button" className="button button-danger" data-testid="remove-confirm" disabled={busy} onClick={() => { void confirm() }}>
          {busy ? `${action}…` : action}
        </button>
        <button type="button" className="button" ref={keep} data-testid="remove-keep" disabled={busy} onClick={onKeep}>Keep</button>
      </div>
    </section>
  )
}
