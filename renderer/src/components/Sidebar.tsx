// Navigation: distributions with their progress and anything that needs a look (a decline, a
// failure, a lost machine), incoming offers, machines, and the way to send. Below the narrow-window
// breakpoint it folds away behind the top bar's menu button and opens over the content; open, it
// keeps the keyboard until Escape, the scrim or a choice closes it.
import { useEffect, useRef } from 'react'
import type { Distribution } from '../../../preload/api.js'
import { attentionBadges, attentionOf, verifiedOfRecipients } from '../format/attention.js'
import { formatPercent } from '../format/format.js'
import { distributionLabel } from '../format/labels.js'
import { distributionProgress } from '../format/progress.js'
import { receivedChannels, receivedSummary } from '../format/received-channels.js'
import type { MainView } from '../store/app-store.js'
import { useUi } from '../store/context.js'
import { ChannelList } from './ChannelList.js'
import { ChannelRow } from './ChannelRow.js'
import { chooseView } from './choose-view.js'
import { FilePicker } from './FilePicker.js'
import { keepTabInside } from './focus-trap.js'

function summaryOf (d: Distribution): string {
  const t = d.totals
  if (d.role === 'origin' && d.members.every(m => m.origin)) return 'ready to send'
  const verified = verifiedOfRecipients(t.verifiedRecipients, t.recipients)
  // Done for everyone who will get it: no percentage left to show.
  if (t.recipients > 0 && t.verifiedRecipients + t.refusedRecipients >= t.recipients) return `✓ ${verified}`
  if (d.state === 'verified') return `✓ ${verified}`
  return `${formatPercent(distributionProgress(d))} · ${verified}`
}

export function Sidebar () {
  const app = useUi(s => s.app)
  const view = useUi(s => s.view)
  const selected = useUi(s => s.selected)
  const select = useUi(s => s.select)
  const setView = useUi(s => s.setView)
  const open = useUi(s => s.sidebarOpen)
  const setOpen = useUi(s => s.setSidebarOpen)
  // A watched folder's batches are its one row (ChannelList), not a row each.
  const watched = new Set((app?.channels ?? []).map(c => c.id))
  const all = app?.distributions ?? []
  // A recipient folds each sender's channel into one row too (its batches share one folder here).
  const received = receivedChannels(all)
  const dists = all.filter(d => d.channel === undefined || (d.role === 'origin' && !watched.has(d.channel)))
  const offers = app?.offers.length ?? 0
  const machines = app?.machines.length ?? 0

  const nav = useRef<HTMLElement>(null)
  const scrim = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    // Opened from the menu button: the keyboard goes where the eyes go.
    nav.current?.querySelector('button')?.focus()
    const onKey = (e: KeyboardEvent) => {
      // Folded away, it would hide what has the focus: back to the menu button that opened it.
      if (e.key === 'Escape') closeToMenu()
      // While it covers the content (the scrim is drawn: a narrow window), Tab stays inside it.
      const covering = scrim.current !== null && getComputedStyle(scrim.current).display !== 'none'
      if (e.key === 'Tab' && covering && nav.current !== null) keepTabInside(e, nav.current)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open, setOpen])

  function closeToMenu (): void {
    setOpen(false)
    document.querySelector<HTMLElement>('[aria-controls="sidebar"]')?.focus()
  }

  // On a narrow window the sidebar covers the content: choosing something closes it, and the
  // keyboard lands on the chosen view's title.
  const go = (view: MainView, action: () => void) => () => {
    chooseView(view, () => {
      action()
      setOpen(false)
    })
  }

  return (
    <>
      {open && <div ref={scrim} className="sidebar-scrim" aria-hidden="true" onClick={closeToMenu} />}
      <nav ref={nav} id="sidebar" className="sidebar" aria-label="Swarmdrop" data-open={open} data-testid="sidebar">
        <h2 className="sidebar-heading">Distributions</h2>
        {dists.length === 0 && received.length === 0
          ? <p className="sidebar-empty">Files you send or receive are listed here.</p>
          : (
            <ul className="dist-list">
              {received.map(c => (
                <ChannelRow
                  key={c.key}
                  testId={`received-${c.name}`}
                  name={c.name}
                  title={c.path}
                  summary={receivedSummary(c)}
                  current={view === 'distribution' && c.batches.some(d => d.infoHash === selected)}
                  onOpen={go('distribution', () => select(c.shown.infoHash))}
                />
              ))}
              {dists.map(d => {
                const label = distributionLabel(d.state)
                const current = view === 'distribution' && selected === d.infoHash
                const badges = attentionBadges(attentionOf(d))
                const stateNote = d.state !== 'verified' && d.state !== 'seeding' && d.state !== 'downloading' ? ` · ${label.text}` : ''
                return (
                  <li key={d.infoHash}>
                    <button
                      type="button"
                      className="nav-item dist-item"
                      data-testid={`dist-${d.name}`}
                      aria-current={current ? 'page' : undefined}
                      onClick={go('distribution', () => select(d.infoHash))}
                    >
                      <span className="dist-item-name" title={d.name}>{d.name}</span>
                      <span className="dist-item-meta">{summaryOf(d)}{stateNote}</span>
                      {badges.length > 0 && (
                        <span className="dist-item-badges">
                          {badges.map(b => (
                            <span key={b.key} className={`badge badge-${b.tone}`} data-testid={`badge-${b.key}`}>
                              <span aria-hidden="true">{b.icon}</span> {b.text}
                            </span>
                          ))}
                        </span>
                      )}
                    </button>
                  </li>
                )
              })}
            </ul>
            )}
        <ChannelList onOpen={infoHash => go('distribution', () => select(infoHash))()} />
        <button
          type="button"
          className="nav-item nav-section"
          data-testid="nav-incoming"
          aria-current={view === 'incoming' ? 'page' : undefined}
          onClick={go('incoming', () => setView('incoming'))}
        >
          <span>Incoming</span>
          <span className={offers > 0 ? 'count count-attention' : 'count'} aria-label={`${offers} waiting`}>{offers}</span>
        </button>
        <button
          type="button"
          className="nav-item nav-section"
          data-testid="nav-machines"
          aria-current={view === 'machines' ? 'page' : undefined}
          onClick={go('machines', () => setView('machines'))}
        >
          <span>Machines</span>
          <span className="count" aria-label={`${machines} known`}>{machines}</span>
        </button>
        <div className="sidebar-foot">
          {/* In a browser the file is uploaded to the agent (a copy): the button says so. */}
          <FilePicker testId="pick-file" label={app?.shell === 'web' ? 'Upload a file to send…' : 'Choose a file to send…'} />
          <p className="hint">or drop a file anywhere on this window</p>
          {app?.shell === 'web' && (
            <button type="button" className="button" data-testid="nav-send-path" aria-current={view === 'send-path' ? 'page' : undefined} onClick={go('send-path', () => setView('send-path'))}>
              Send a path on {app.self.name}…
            </button>
          )}
        </div>
      </nav>
    </>
  )
}
