// Settings → Groups: named sets of machines for `send --to @lab` and the send panel's group picker.
// Groups are made from known machines and kept by device id; the engine checks every name and id,
// and what it refuses is shown here, in place.
import { useState } from 'react'
import type { Machine, MachineGroup } from '../../../preload/api.js'
import { plural, sentence } from '../format/format.js'
import { useUi } from '../store/context.js'
import { choosable } from './group-machines.js'

const NO_GROUPS: readonly MachineGroup[] = []
const NO_MACHINES: readonly Machine[] = []

interface Draft { readonly name: string; readonly ids: readonly string[]; readonly isNew: boolean }

function Editor ({ draft, machines, taken, onDone }: { readonly draft: Draft; readonly machines: readonly Machine[]; readonly taken: readonly string[]; readonly onDone: (saved: string | null) => void }) {
  const setGroup = useUi(s => s.setGroup)
  const [name, setName] = useState(draft.name)
  const [ids, setIds] = useState<readonly string[]>(draft.ids)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const save = async () => {
    const n = name.trim()
    if (n === '') return setError('Give the group a name.')
    if (draft.isNew && taken.some(t => t.toLowerCase() === n.toLowerCase())) return setError(`There is already a group ${n}.`)
    if (ids.length === 0) return setError('Tick at least one machine.')
    setSaving(true)
    const result = await setGroup(n, ids)
    setSaving(false)
    if (result.ok) onDone(result.value.name)
    else setError(sentence(result.error.message))
  }

  const toggle = (id: string, on: boolean) => setIds(on ? [...ids, id] : ids.filter(x => x !== id))

  return (
    <form
      className="group-editor"
      data-testid="group-editor"
      onSubmit={e => {
        e.preventDefault()
        void save()
      }}
    >
      <div className="field">
        <label htmlFor="group-name">Group name</label>
        <input id="group-name" data-testid="group-name" type="text" value={name} disabled={!draft.isNew} aria-invalid={error !== null} onChange={e => { setName(e.currentTarget.value); setError(null) }} />
        <p className="hint">Letters, digits, dots, dashes or underscores; used as @{name.trim() === '' ? 'name' : name.trim()} when sending.</p>
      </div>
      <fieldset className="field">
        <legend>Machines</legend>
        {machines.length === 0
          ? <p className="hint">No machines known yet: they appear once they run Swarmdrop on this network.</p>
          : (
            <ul className="group-machines">
              {machines.map(m => (
                <li key={m.id}>
                  <label className="choice">
                    <input type="checkbox" data-testid={`group-member-${m.name}`} checked={ids.includes(m.id)} onChange={e => toggle(m.id, e.currentTarget.checked)} />
                    <span>{m.name} <span className="fingerprint muted">{m.fingerprint}</span> <span className="muted">{m.online ? 'online' : 'offline'}</span></span>
                  </label>
                </li>
              ))}
            </ul>
            )}
      </fieldset>
      {error !== null && <p className="field-error" role="alert">{error}</p>}
      <div className="form-foot">
        <button type="submit" className="button button-primary" data-testid="group-save" disabled={saving}>{saving ? 'Saving…' : `Save ${plural(ids.length, 'machine')}`}</button>
        <button type="button" className="button" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  )
}

export function GroupsSettings () {
  const groups = useUi(s => s.app?.groups ?? NO_GROUPS)
  const listed = useUi(s => s.app?.machines ?? NO_MACHINES)
  const deleteGroup = useUi(s => s.deleteGroup)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const machines = choosable(listed, groups)

  const remove = async (name: string) => {
    setConfirming(null)
    const result = await deleteGroup(name)
    if (result.ok) setStatus(`Deleted @${name}.`)
    else setError(sentence(result.error.message))
  }

  return (
    <section className="card groups" aria-labelledby="groups-title" data-testid="groups-settings">
      <div className="section-head">
        <h3 id="groups-title">Groups</h3>
        <button type="button" className="button" data-testid="group-new" disabled={draft !== null} onClick={() => { setDraft({ name: '', ids: [], isNew: true }); setStatus(null) }}>New group</button>
      </div>
      <p className="hint">Send to a whole group at once (“Tick a group” when sending, or <code>--to @name</code>). Machines are kept by device id, not name; one off the network gets what is sent to its group when it comes back.</p>
      {groups.length === 0 && draft === null && <p className="muted">No groups yet.</p>}
      {groups.length > 0 && (
        <ul className="group-list">
          {groups.map(g => (
            <li key={g.name} className="group-row" data-testid={`group-${g.name}`}>
              <div className="group-summary">
                <strong>@{g.name}</strong> <span className="muted">{plural(g.members.length, 'machine')}, {g.members.filter(m => m.online).length} online</span>
                <div className="hint group-names">{g.members.map(m => m.name === '' ? m.fingerprint : m.name).join(', ')}</div>
              </div>
              <div className="group-actions">
                {confirming === g.name
                  ? (
                    <>
                      <span>Delete @{g.name}?</span>
                      <button type="button" className="button" data-testid={`group-delete-yes-${g.name}`} onClick={() => { void remove(g.name) }}>Delete</button>
                      <button type="button" className="button" onClick={() => setConfirming(null)}>Keep</button>
                    </>
                    )
                  : (
                    <>
                      <button type="button" className="button" data-testid={`group-edit-${g.name}`} disabled={draft !== null} onClick={() => { setDraft({ name: g.name, ids: g.members.map(m => m.id), isNew: false }); setStatus(null) }}>Edit</button>
                      <button type="button" className="button" data-testid={`group-delete-${g.name}`} onClick={() => setConfirming(g.name)}>Delete…</button>
                    </>
                    )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {draft !== null && (
        <Editor
          draft={draft}
          machines={machines}
          taken={groups.map(g => g.name)}
          onDone={saved => {
            setDraft(null)
            if (saved !== null) setStatus(`Saved @${saved}.`)
          }}
        />
      )}
      {error !== null && <p className="field-error" role="alert">{error}</p>}
      {status !== null && <p role="status" data-testid="groups-status">{status}</p>}
    </section>
  )
}
