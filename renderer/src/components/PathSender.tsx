// The web UI's way to send a file that is already on the agent's machine, where it lies: a path
// field and a small folder browser. A browser upload copies the file into the agent's data folder
// (twice the disk for a 15 GB image); a path does not.
import { useState } from 'react'
import type { FolderListing } from '../../../preload/api.js'
import { formatBytes, plural, sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

function joinPath (dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

export function PathSender () {
  const createFromPath = useUi(s => s.createFromPath)
  const browse = useUi(s => s.browse)
  const self = useUi(s => s.app?.self.name ?? 'this machine')
  const [path, setPath] = useState('')
  const [listing, setListing] = useState<FolderListing | null>(null)
  const [browseError, setBrowseError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const open = async (dir?: string) => {
    setBrowseError(null)
    const result = await browse(dir)
    if (result.ok) setListing(result.value)
    else setBrowseError(result.error.message)
  }
  const send = async () => {
    const p = path.trim()
    if (p === '') return
    setBusy(true)
    await createFromPath(p)
    setBusy(false)
  }

  return (
    <section className="card path-sender" aria-labelledby="path-sender-title" data-testid="path-sender">
      <h3 id="path-sender-title" tabIndex={-1}>Send a file already on {self}</h3>
      <p className="hint">
        A path is shared where it is: nothing is copied. Choosing or dropping a file in this browser
        uploads a copy into the agent’s data folder, which takes that much disk space again.
      </p>
      <form
        className="path-form"
        onSubmit={e => {
          e.preventDefault()
          void send()
        }}
      >
        <label className="field path-field">
          <span>Path on {self}</span>
          <input type="text" value={path} placeholder="/srv/images/ubuntu-24.04.iso" spellCheck={false} data-testid="path-input" onChange={e => setPath(e.currentTarget.value)} />
        </label>
        <div className="path-actions">
          <button type="submit" className="button button-primary" data-testid="path-send" disabled={busy || path.trim() === ''}>
            {busy ? 'Starting…' : 'Share this path'}
          </button>
          <button type="button" className="button" data-testid="path-browse" aria-expanded={listing !== null} onClick={() => { void (listing === null ? open(path.trim() === '' ? undefined : path.trim()) : setListing(null)) }}>
            {listing === null ? 'Browse…' : 'Close browser'}
          </button>
        </div>
      </form>
      {browseError !== null && <p className="field-error" role="alert" data-testid="browse-error">{sentence(browseError)}</p>}
      {listing !== null && (
        <div className="folder-browser" data-testid="folder-browser">
          <div className="folder-head">
            <button type="button" className="button button-quiet" disabled={listing.parent === null} onClick={() => { if (listing.parent !== null) void open(listing.parent) }}>
              <span aria-hidden="true">↑</span> Up
            </button>
            <code className="folder-path" data-testid="folder-path">{listing.path}</code>
          </div>
          {listing.entries.length === 0
            ? <p className="hint">This folder is empty.</p>
            : (
              <ul className="folder-list">
                {listing.entries.map(e => (
                  <li key={e.name}>
                    <button
                      type="button"
                      className="folder-entry"
                      data-testid={`entry-${e.name}`}
                      disabled={e.kind === 'other'}
                      onClick={() => {
                        if (e.kind === 'folder') void open(joinPath(listing.path, e.name))
                        else setPath(joinPath(listing.path, e.name))
                      }}
                    >
                      <span aria-hidden="true">{e.kind === 'folder' ? '📁' : e.kind === 'file' ? '📄' : '·'}</span>
                      <span className="folder-entry-name">{e.name}{e.link ? ' →' : ''}</span>
                      <span className="muted">{e.kind === 'file' && e.size !== null ? formatBytes(e.size) : e.kind === 'folder' ? 'folder' : 'cannot be sent'}</span>
                    </button>
                  </li>
                ))}
              </ul>
              )}
          {listing.truncated && <p className="hint">Showing the first {plural(listing.entries.length, 'entry', 'entries')}; type the path to reach the others.</p>}
        </div>
      )}
    </section>
  )
}
