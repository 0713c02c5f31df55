// Watched folders in the sidebar: each channel as one row (its folder, where it sends, its backlog
// and its last batch), and a small form to watch another folder. A folder is watched by the engine
// on its own machine, so the path is typed (the desktop app may also choose it with its dialog).
import { useState, type FormEvent } from 'react'
import type { WatchedFolder } from '../../../preload/api.js'
import { formatBytes, formatCount, plural } from '../format/format.js'
import { useUi } from '../store/context.js'
import { ChannelRow } from './ChannelRow.js'

/** One line under the channel's name: backlog, then how far the last batch got. */
export function channelSummary (c: WatchedFolder): string {
  if (c.state === 'error') return c.reason ?? 'stopped by an error'
  const backlog = c.backlogFiles === 0 ? 'nothing waiting' : `${formatCount(c.backlogFiles)} waiting · ${formatBytes(c.backlogBytes)}`
  const b = c.lastBatch
  const last = b === null ? 'nothing sent yet' : `batch ${b.seq}: ${b.verifiedRecipients} of ${b.recipients} verified`
  // Up to date only when nothing is waiting here and no machine lacks a batch.
  const upToDate = b !== null && c.state === 'watching' && c.backlogFiles === 0 && c.members.every(m => m.behindBatches === 0)
  return [c.state === 'sending' ? 'sending' : backlog, last, ...(upToDate ? ['everyone up to date'] : [])].join(' · ')
}

/**
 * One line per machine that lacks batches: who, by how much, and whether it is away (the row said
 * only "1 behind": not who, nor how much, nor that it waits to be back).
 */
export function channelBehind (c: WatchedFolder): string[] {
  if (c.state === 'error') return []
  return c.members.filter(m => m.behindBatches > 0).map(m => {
    const who = m.name !== '' ? m.name : m.fingerprint
    const lacks = `${plural(m.behindBatches, 'batch', 'batches')} behind (${formatBytes(m.behindBytes)})`
    return m.online ? `${who}: ${lacks}` : `${who} is away: ${lacks}, sent when it is back`
  })
}

export function target (c: WatchedFolder): string {
  return [c.group === null ? '' : `@${c.group}`, c.ids.length > 0 ? `${c.ids.length} machine${c.ids.length === 1 ? '' : 's'}` : ''].filter(x => x !== '').join(' + ')
}

/** `onOpen`: how the sidebar opens a batch (it folds and moves the focus); by default, select it. */
export function ChannelList ({ onOpen }: { readonly onOpen?: (infoHash: string) => void }) {
  const app = useUi(s => s.app)
  const api = useUi(s => s.api)
  const select = useUi(s => s.select)
  const open = onOpen ?? select
  const selected = useUi(s => s.selected)
  const [adding, setAdding] = useState(false)
  const [path, setPath] = useState('')
  const [group, setGroup] = useState('')
  const [mirror, setMirror] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const channels = app?.channels ?? []
  const groups = app?.groups ?? []

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const chosen = group !== '' ? group : groups[0]?.name
    if (chosen === undefined) { setError('Make a group of machines first (Settings).'); return }
    setBusy(true)
    const r = await api.watchFolder(path.trim(), { group: chosen, ...(mirror ? { mirrorDeletes: true } : {}) })
    setBusy(false)
    if (!r.ok) { setError(r.error.message); return }
    setError(null)
    setPath('')
    setAdding(false)
  }

  const unwatch = async (c: WatchedFolder) => {
    const r = await api.unwatchFolder(c.id)
    setError(r.ok ? null : r.error.message)
  }

  return (
    <section className="channel-section" aria-label="Watched folders" data-testid="channels">
      <h2 className="sidebar-heading">Watched folders</h2>
      {channels.length > 0 && (
        <ul className="dist-list">
          {channels.map(c => {
            // The row opens its last batch: the machines and pieces of what went out last.
            const last = c.lastBatch
            return <ChannelRow
              key={c.id}
              testId={`channel-${c.name}`}
              name={`${c.name} → ${target(c)}`}
              title={c.dir}
              summary={channelSummary(c)}
              details={channelBehind(c)}
              attention={c.state === 'error'}
              current={last !== null && selected === last.infoHash}
              onOpen={last === null ? null : () => open(last.infoHash)}
              actions={<button type="button" className="button button-quiet" onClick={() => { void unwatch(c) }} aria-label={`Stop watching ${c.name}`}>Stop watching</button>}
            />
          })}
        </ul>
      )}
      {adding
        ? (
          <form className="field channel-form" onSubmit={e => { void submit(e) }} data-testid="watch-form">
            <label>
              Folder on {app?.self.name ?? 'this machine'}
              <input type="text" value={path} onChange={e => setPath(e.target.value)} placeholder="/srv/segments" data-testid="watch-path" required />
            </label>
            <label>
              Send to
              <select value={group} onChange={e => setGroup(e.target.value)} data-testid="watch-group">
                {groups.length === 0 && <option value="">no group yet</option>}
                {groups.map(g => <option key={g.name} value={g.name}>@{g.name} ({g.members.length})</option>)}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={mirror} onChange={e => setMirror(e.target.checked)} data-testid="watch-mirror" />
              {' '}Remove on the machines what is removed here
            </label>
            <span>
              <button type="submit" className="button button-primary" disabled={busy || path.trim() === '' || groups.length === 0}>Watch</button>
              <button type="button" className="button button-quiet" onClick={() => { setAdding(false); setError(null) }}>Cancel</button>
            </span>
          </form>
          )
        : <button type="button" className="button" data-testid="watch-add" onClick={() => setAdding(true)}>Watch a folder…</button>}
      {error !== null && <p className="hint" role="alert">{error}</p>}
    </section>
  )
}
