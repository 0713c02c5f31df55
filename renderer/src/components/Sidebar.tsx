// Navigation: distributions with their progress, incoming offers, machines, and the way to send.
import { formatPercent } from '../format/format.js'
import { distributionLabel } from '../format/labels.js'
import { distributionProgress } from '../format/progress.js'
import { useUi } from '../store/context.js'
import { FilePicker } from './FilePicker.js'

export function Sidebar () {
  const app = useUi(s => s.app)
  const view = useUi(s => s.view)
  const selected = useUi(s => s.selected)
  const select = useUi(s => s.select)
  const setView = useUi(s => s.setView)
  const dists = app?.distributions ?? []
  const offers = app?.offers.length ?? 0
  const machines = app?.machines.length ?? 0

  return (
    <nav className="sidebar" aria-label="Swarmdrop">
      <h2 className="sidebar-heading">Distributions</h2>
      {dists.length === 0
        ? <p className="sidebar-empty">Nothing shared yet.</p>
        : (
          <ul className="dist-list">
            {dists.map(d => {
              const label = distributionLabel(d.state)
              const current = view === 'distribution' && selected === d.infoHash
              const sentToNobody = d.role === 'origin' && d.members.every(m => m.origin)
              const summary = d.state === 'verified'
                ? `✓ verified · ${d.totals.verifiedMachines}/${d.totals.machines}`
                : sentToNobody
                  ? 'ready to send'
                  : `${formatPercent(distributionProgress(d))} · ${d.totals.verifiedMachines}/${d.totals.machines} verified`
              return (
                <li key={d.infoHash}>
                  <button
                    type="button"
                    className="nav-item dist-item"
                    data-testid={`dist-${d.name}`}
                    aria-current={current ? 'page' : undefined}
                    onClick={() => select(d.infoHash)}
                  >
                    <span className="dist-item-name" title={d.name}>{d.name}</span>
                    <span className="dist-item-meta">{summary}{d.state !== 'verified' && d.state !== 'seeding' && d.state !== 'downloading' ? ` · ${label.text}` : ''}</span>
                  </button>
                </li>
              )
            })}
          </ul>
          )}
      <button
        type="button"
        className="nav-item nav-section"
        data-testid="nav-incoming"
        aria-current={view === 'incoming' ? 'page' : undefined}
        onClick={() => setView('incoming')}
      >
        <span>Incoming</span>
        <span className={offers > 0 ? 'count count-attention' : 'count'} aria-label={`${offers} waiting`}>{offers}</span>
      </button>
      <button
        type="button"
        className="nav-item nav-section"
        data-testid="nav-machines"
        aria-current={view === 'machines' ? 'page' : undefined}
        onClick={() => setView('machines')}
      >
        <span>Machines</span>
        <span className="count" aria-label={`${machines} known`}>{machines}</span>
      </button>
      <div className="sidebar-foot">
        <FilePicker />
        <p className="hint">or drop a file anywhere on this window</p>
      </div>
    </nav>
  )
}
