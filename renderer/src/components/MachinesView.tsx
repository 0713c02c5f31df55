// Every machine this device has seen on the network, and whether its offers are trusted; machines
// beyond mDNS's reach are added by address here. An id two machines answer for (a cloned identity)
// shows both addresses and why nothing is sent to it; a name two machines use is marked.
import type { Machine } from '../../../preload/api.js'
import { formatAgo, sentence } from '../format/format.js'
import { AddByAddress } from './AddByAddress.js'
import { useUi } from '../store/context.js'
import { useNow } from './use-now.js'
import { EmptyState } from './EmptyState.js'
import { MachineMeta } from './MachineMeta.js'

const NONE: readonly Machine[] = []

export function MachinesView () {
  const machines = useUi(s => s.app?.machines ?? NONE)
  const trust = useUi(s => s.trust)
  const untrust = useUi(s => s.untrust)
  const unpair = useUi(s => s.unpair)
  const now = useNow()
  return (
    <section className="view" aria-labelledby="machines-title">
      <h2 id="machines-title" className="view-title">Machines</h2>
      {machines.length === 0
        ? (
          <EmptyState title="No machines found yet.">
            Machines appear when they run Swarmdrop on this network. Not seeing one? Check it is running
            and on the same network, or add it by address below.
          </EmptyState>
          )
        : (
          <ul className="machine-list">
            {machines.map(m => (
              <li key={m.id} className={m.online ? 'machine' : 'machine machine-offline'} data-testid={`known-${m.name}`}>
                <span className="machine-name">{m.name}</span>
                <MachineMeta m={m} />
                <span className="machine-flags">
                  <span className={m.online ? 'state state-ok' : 'state state-idle'}>
                    <span aria-hidden="true">{m.online ? '●' : '○'}</span> {m.online ? 'online' : <span title={new Date(m.lastSeen).toLocaleString()}>last seen {formatAgo(m.lastSeen, now)}</span>}
                  </span>
                  {m.trusted && <span className="tag tag-trusted">trusted</span>}
                  {m.twinAddresses !== undefined && <span className="tag tag-danger" data-testid={`twin-tag-${m.name}`}>{m.twinAddresses.length} machines, one id</span>}
                  {m.sharedName === true && <span className="tag" title="Another machine on the network has this name: choose it by its id" data-testid={`shared-name-${m.fingerprint}`}>name shared</span>}
                  {m.pairedAddress !== undefined && <span className="tag" title={`Added by address: dialled at ${m.pairedAddress}`}>added by address</span>}
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => { void (m.trusted ? untrust(m.id) : trust(m.id)) }}
                  >
                    {m.trusted ? 'Stop trusting' : 'Trust'}
                  </button>
                  {m.pairedAddress !== undefined && (
                    <button type="button" className="button button-quiet" onClick={() => { void unpair(m.id) }}>
                      Forget
                    </button>
                  )}
                </span>
                {/* Under the row, across it: beside the flags it took their column and pushed the state out of view. */}
                {m.pairProblem !== undefined && <span className="field-error machine-problem" data-testid={`pair-problem-${m.name}`}>{sentence(m.pairProblem)}</span>}
                {m.twinProblem !== undefined && <span className="field-error machine-problem" role="note" data-testid={`twin-problem-${m.name}`}>{m.twinProblem}</span>}
              </li>
            ))}
          </ul>
          )}
      <AddByAddress />
    </section>
  )
}
