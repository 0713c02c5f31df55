// One distribution: what it is (name, size, SHA-256), how the swarm is doing, each machine, the
// piece map, and — on the origin — who else to send it to.
import { useRef, useState } from 'react'
import type { Distribution, IncomingOffer } from '../../../preload/api.js'
import { formatBytes, plural, shortenMiddle } from '../format/format.js'
import { distributionLabel, impostorText } from '../format/labels.js'
import { removePlan } from '../format/remove-plan.js'
import { useUi } from '../store/context.js'
import { EmptyState } from './EmptyState.js'
import { ExportReport } from './ExportReport.js'
import { FilePicker } from './FilePicker.js'
import { HashingProgress } from './HashingProgress.js'
import { MemberTable } from './MemberTable.js'
import { OfferCard } from './OfferCard.js'
import { PathSender } from './PathSender.js'
import { PieceMap } from './PieceMap.js'
import { RemoveConfirm } from './RemoveConfirm.js'
import { SendPanel } from './SendPanel.js'
import { StateBadge } from './StateBadge.js'
import { SwarmTotals } from './SwarmTotals.js'
import { WatchedFolderCard } from './WatchedFolderCard.js'

function Detail ({ dist }: { readonly dist: Distribution }) {
  const pause = useUi(s => s.pause)
  const resume = useUi(s => s.resume)
  const openFolder = useUi(s => s.openFolder)
  const paused = dist.state === 'paused'
  const [confirming, setConfirming] = useState(false)
  const removeButton = useRef<HTMLButtonElement>(null)
  const plan = removePlan(dist)
  const keep = (): void => {
    setConfirming(false)
    removeButton.current?.focus()
  }
  return (
    <article className="detail" aria-labelledby="dist-title" data-testid="distribution">
      {/* A watched folder's batch: the folder as a whole comes first (WatchedFolderCard.tsx). */}
      <WatchedFolderCard dist={dist} />
      <header className="detail-head">
        <div>
          <h2 id="dist-title" tabIndex={-1} className="detail-title" data-testid="dist-title-text" title={dist.name}>{shortenMiddle(dist.name)}</h2>
          <p className="detail-meta">
            <span>{formatBytes(dist.totalLength)}</span>
            {dist.isFolder && <span>{plural(dist.fileCount, 'file')}</span>}
            <span>{plural(dist.pieceCount, 'piece')} of {formatBytes(dist.pieceLength)}</span>
            <span>{dist.role === 'origin' ? 'sent from this device' : 'received by this device'}</span>
          </p>
          <p className="sha">
            <span className="sha-label">SHA-256</span>{' '}
            <code className="sha-value" data-testid="dist-sha256" title={dist.sha256}>{dist.sha256}</code>
          </p>
        </div>
        <div className="detail-actions">
          <StateBadge label={distributionLabel(dist.state)} testId="dist-state" raw={dist.state} />
          {/* A failed or stale distribution runs nothing there is to pause. */}
          {dist.state !== 'failed' && dist.state !== 'stale' && (
            <button type="button" className="button" data-testid="pause-button" onClick={() => { void (paused ? resume(dist.infoHash) : pause(dist.infoHash)) }}>
              {paused ? 'Resume' : 'Pause'}
            </button>
          )}
          <button type="button" className="button" data-testid="open-folder" onClick={() => { void openFolder(dist.infoHash) }}>
            Open folder
          </button>
          <ExportReport dist={dist} />
          <button
            type="button"
            ref={removeButton}
            className="button button-danger-quiet"
            data-testid="remove-button"
            data-kind={plan.kind}
            aria-expanded={confirming}
            onClick={() => { if (confirming) keep(); else setConfirming(true) }}
          >
            {plan.trigger}
          </button>
        </div>
      </header>
      {confirming && <RemoveConfirm dist={dist} onKeep={keep} />}
      {dist.reason !== undefined && <p className="banner banner-warn" role="status" data-testid="dist-reason">{dist.reason}</p>}
      {dist.impostors?.map(n => <p key={n.address} className="banner banner-danger" role="alert" data-testid="impostor-notice">{impostorText(n)}</p>)}
      <SwarmTotals dist={dist} />
      <section className="card members-card" aria-label="Machines in this swarm" data-testid="members-card">
        <MemberTable dist={dist} />
      </section>
      {dist.pieceCount > 0 && <PieceMap dist={dist} />}
      {dist.role === 'origin' && <SendPanel dist={dist} />}
    </article>
  )
}

const NO_OFFERS: readonly IncomingOffer[] = []

/** Offers waiting for an answer are shown on the main view too: nobody should have to find them. */
function WaitingOffers () {
  const offers = useUi(s => s.app?.offers ?? NO_OFFERS)
  if (offers.length === 0) return null
  return (
    <section className="view" aria-label="Waiting for your answer">
      {offers.map(o => <OfferCard key={o.offerId} offer={o} />)}
    </section>
  )
}

export function DistributionView () {
  const app = useUi(s => s.app)
  const selected = useUi(s => s.selected)
  const dist = app?.distributions.find(d => d.infoHash === selected)
  return (
    <>
      <WaitingOffers />
      <HashingProgress />
      {dist !== undefined
        // Keyed: another distribution's view starts afresh (no confirmation left open).
        ? <Detail key={dist.infoHash} dist={dist} />
        : app !== null && (
          <>
            {app.hashing.length === 0 && (
              <EmptyState title="Nothing shared yet.">
                <p>
                  Choose a file, or drop one anywhere on this window. Swarmdrop checks every piece, then
                  sends it to the machines you tick below.
                </p>
                <div className="empty-actions">
                  <FilePicker label="Choose a file…" testId="empty-pick-file" />
                </div>
              </EmptyState>
            )}
            {app.shell === 'web' && <PathSender />}
            <SendPanel dist={null} />
          </>
        )}
    </>
  )
}
