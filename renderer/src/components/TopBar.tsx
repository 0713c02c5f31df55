// Who this device is, what it is moving right now, and the global controls.
import { attentionOf } from '../format/attention.js'
import { formatFingerprint, formatRate } from '../format/format.js'
import { useLinkLost, useUi } from '../store/context.js'
import { chooseView } from './choose-view.js'
import { ThemeToggle } from './ThemeToggle.js'

export function TopBar () {
  const app = useUi(s => s.app)
  const view = useUi(s => s.view)
  const setView = useUi(s => s.setView)
  const pause = useUi(s => s.pause)
  const resume = useUi(s => s.resume)
  const sidebarOpen = useUi(s => s.sidebarOpen)
  const setSidebarOpen = useUi(s => s.setSidebarOpen)
  const linkLost = useLinkLost()
  // What the folded sidebar hides that needs a look: offers waiting, declines, failures, full
  // disks, lost machines.
  const attention = app === null
    ? 0
    : app.offers.length + app.distributions.reduce((n, d) => {
      const a = attentionOf(d)
      return n + a.declined + a.failed + a.noSpace + a.lost
    }, 0)
  return (
    <header className="topbar">
      <button
        type="button"
        className="button button-quiet icon-button menu-toggle"
        data-testid="menu-toggle"
        aria-controls="sidebar"
        aria-expanded={sidebarOpen}
        aria-label={attention > 0 ? `Menu, ${attention} ${attention === 1 ? 'needs' : 'need'} a look` : 'Menu'}
        onClick={() => setSidebarOpen(!sidebarOpen)}
      >
        <span aria-hidden="true">☰</span>
        {attention > 0 && <span className="menu-dot" aria-hidden="true">{attention}</span>}
      </button>
      <span className="brand"><span className="brand-mark" aria-hidden="true">◉</span> <span className="brand-text">Swarmdrop</span></span>
      {app !== null && (
        <span className="self" data-testid="self">
          <span className="self-name">{app.self.name}</span>
          <span className="fingerprint" title="This device's id fingerprint">{formatFingerprint(app.self.fingerprint)}</span>
        </span>
      )}
      <span className="spacer" />
      {app !== null && (
        <>
          <span className="rates" aria-label="Total rates">
            <span title="Upload" data-testid="rate-up"><span aria-hidden="true">↑</span> <span className="visually-hidden">Upload </span>{linkLost ? '—' : formatRate(app.rates.upload)}</span>
            <span title="Download" data-testid="rate-down"><span aria-hidden="true">↓</span> <span className="visually-hidden">Download </span>{linkLost ? '—' : formatRate(app.rates.download)}</span>
          </span>
          <button
            type="button"
            className="button button-quiet"
            data-testid="pause-all"
            onClick={() => { void (app.seedingPaused ? resume() : pause()) }}
          >
            {app.seedingPaused ? 'Resume all' : 'Pause all'}
          </button>
        </>
      )}
      <button
        type="button"
        className="button button-quiet icon-button"
        data-testid="settings-button"
        aria-label="Settings"
        aria-pressed={view === 'settings'}
        onClick={() => chooseView('settings', () => setView('settings'))}
      >
        <span aria-hidden="true">⚙</span>
      </button>
      <ThemeToggle />
    </header>
  )
}
