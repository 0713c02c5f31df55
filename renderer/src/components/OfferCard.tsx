// One incoming offer: who sends what, where it would land, and the three answers. A sender of two
// offers gets two cards.
import { useRef, useState } from 'react'
import type { IncomingOffer } from '../../../preload/api.js'
import { formatAgo, formatBytes, plural, sentence } from '../format/format.js'
import { useUi } from '../store/context.js'
import { useNow } from './use-now.js'

/**
 * Where the keyboard goes once an answered offer's card has left: the next offer's first answer
 * that can be given, else the view's title; picked before the answer, while the card is there.
 */
function focusAfterAnswer (card: HTMLElement): () => void {
  const cards = [...document.querySelectorAll<HTMLElement>('article.offer')].filter(c => c !== card)
  const next = cards.find(c => (card.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0) ?? cards.at(-1)
  const target = next?.querySelector<HTMLElement>('.offer-actions button:not(:disabled)') ??
    document.getElementById('incoming-title') ?? document.getElementById('dist-title')
  // After React has drawn the state without the offer: only when the card is gone and took the
  // focus with it (a failed answer leaves the focus where it is).
  return () => {
    setTimeout(() => {
      if (!card.isConnected && (document.activeElement === document.body || document.activeElement === null)) target?.focus()
    }, 0)
  }
}

type Folder =
  | { readonly mode: 'default' }
  | { readonly mode: 'chosen'; readonly path: string }
  /** No folder dialog here (the web UI): the person types the path. */
  | { readonly mode: 'typed'; readonly path: string }

export function OfferCard ({ offer }: { readonly offer: IncomingOffer }) {
  const accept = useUi(s => s.accept)
  const decline = useUi(s => s.decline)
  const chooseFolder = useUi(s => s.chooseFolder)
  const [folder, setFolder] = useState<Folder>({ mode: 'default' })
  const [busy, setBusy] = useState(false)
  const [folderError, setFolderError] = useState<string | null>(null)
  // A sender this device knows to be gone (killed, unplugged) cannot send yet: an accept waits for
  // it. One not listed at all says nothing (its offer may simply have come before its mDNS advert).
  const senderGone = useUi(s => s.app?.machines.find(m => m.id === offer.sender.id && !m.online))
  const now = useNow()

  const custom = folder.mode === 'default' ? null : folder.path.trim()
  // Free space and writability are only known for the default folder; elsewhere the engine checks on accept.
  const unwritable = custom === null ? offer.destination.problem : undefined
  const blocked = custom === null ? !offer.destination.fits || unwritable !== undefined : custom === ''
  const missing = Math.max(0, offer.totalLength - offer.destination.freeBytes)
  // A folder lands as a new folder inside the one chosen (renamed when its name is taken there).
  const folderOf = offer.isFolder
  const what = folderOf ? 'folder' : 'file'
  const idBase = `offer-${offer.offerId}`

  const card = useRef<HTMLElement>(null)
  const answer = async (run: () => Promise<unknown>) => {
    const refocus = card.current === null ? null : focusAfterAnswer(card.current)
    setBusy(true)
    await run()
    setBusy(false)
    refocus?.()
  }
  const dirOpts = custom !== null && custom !== '' ? { downloadsDir: custom } : {}

  const pickFolder = async () => {
    setFolderError(null)
    const result = await chooseFolder()
    if (result.ok) {
      if (result.value !== null) setFolder({ mode: 'chosen', path: result.value.path })
    } else if (result.error.code === 'unsupported') {
      setFolder({ mode: 'typed', path: offer.destination.dir })
    } else {
      setFolderError(result.error.message)
    }
  }

  return (
    <article ref={card} className="card offer" data-testid={`offer-${offer.name}`} aria-labelledby={`${idBase}-title`}>
      <header className="offer-head">
        <h3 id={`${idBase}-title`} className="offer-file">{offer.name}</h3>
        <span className="offer-size" data-testid={`offer-size-${offer.name}`}>{formatBytes(offer.totalLength)}{folderOf ? ` · folder of ${plural(offer.fileCount, 'file')}` : ''}</span>
      </header>
      <p className="offer-sender">
        From <strong>{offer.sender.name}</strong>{' '}
        <span className="fingerprint" title="Sender's id fingerprint">{offer.sender.fingerprint}</span>{' '}
        <span className="muted">{offer.sender.address}</span>{' '}
        {offer.sender.trusted
          ? <span className="tag tag-trusted">trusted</span>
          : <span className="tag">not trusted yet</span>}
      </p>
      {senderGone !== undefined && (
        <p className="offer-away" role="status" data-testid={`sender-away-${offer.name}`}>
          {offer.sender.name} is not on the network now (last seen {formatAgo(senderGone.lastSeen, now)}). Accepting starts the
          download when it is back.
        </p>
      )}
      <p className="sha"><span className="sha-label">SHA-256</span> <code className="sha-value">{offer.sha256}</code></p>
      <div className="offer-dest">
        {folder.mode === 'typed'
          ? (
            <label className="field">
              <span>Save to folder (path on this machine)</span>
              <input type="text" value={folder.path} data-testid={`folder-input-${offer.name}`} onChange={e => setFolder({ mode: 'typed', path: e.currentTarget.value })} />
            </label>
            )
          : (
            <p data-testid={`offer-dest-${offer.name}`}>
              {folderOf ? 'Saves as a new folder in' : 'Saves to'} <code>{custom ?? offer.destination.dir}</code>
              {custom === null && <>, which has {formatBytes(offer.destination.freeBytes)} free</>}.{' '}
              <button type="button" className="button button-quiet" onClick={() => { void pickFolder() }}>Choose another folder…</button>
            </p>
            )}
        {folderError !== null && <p className="field-error" role="alert">{sentence(folderError)}</p>}
        {unwritable !== undefined && (
          <p className="field-error" data-testid={`not-writable-${offer.name}`}>
            Cannot save here: {unwritable}. Choose another folder.
          </p>
        )}
        {blocked && custom === null && unwritable === undefined && (
          <p className="field-error" data-testid={`no-space-${offer.name}`}>
            Not enough space: {offer.destination.dir} needs {formatBytes(missing)} more free space for this {what}.
            Free some space or choose another folder.
          </p>
        )}
      </div>
      <div className="offer-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid={`accept-${offer.name}`}
          disabled={blocked || busy}
          onClick={() => { void answer(() => accept(offer.offerId, dirOpts)) }}
        >
          Accept
        </button>
        <button type="button" className="button" data-testid={`decline-${offer.name}`} disabled={busy} onClick={() => { void answer(() => decline(offer.offerId)) }}>
          Decline
        </button>
        {!offer.sender.trusted && (
          <button
            type="button"
            className="button"
            data-testid={`always-${offer.name}`}
            disabled={blocked || busy}
            onClick={() => { void answer(() => accept(offer.offerId, { ...dirOpts, alwaysTrust: true })) }}
          >
            Always accept from {offer.sender.name}
          </button>
        )}
      </div>
    </article>
  )
}
