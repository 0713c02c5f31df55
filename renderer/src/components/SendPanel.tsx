// Choosing who gets the file: machines with checkboxes, a search, "All online", a group picker, and
// the Send button that says how many it will ask. A ticked machine that is off the network is sent
// to as well: it waits, and gets the file when it comes back. An id two machines answer for (a
// cloned identity) cannot be ticked: the engine refuses to send to it, and the row says why.
import { useMemo, useState } from 'react'
import type { Distribution, Machine, MachineGroup } from '../../../preload/api.js'
import { contentNoun } from '../format/content-noun.js'
import { formatAgo, plural } from '../format/format.js'
import { useUi } from '../store/context.js'
import { EmptyState } from './EmptyState.js'
import { choosable } from './group-machines.js'
import { MachineMeta } from './MachineMeta.js'
import { useNow } from './use-now.js'

const NONE: readonly Machine[] = []
const NO_GROUPS: readonly MachineGroup[] = []

/** The group picker: each group ticks all its machines, on the network or not. */
function GroupPicker ({ groups, machines, onPick }: { readonly groups: readonly MachineGroup[]; readonly machines: readonly Machine[]; readonly onPick: (ids: readonly string[]) => void }) {
  if (groups.length === 0) return null
  return (
    <div className="group-picker" role="group" aria-labelledby="group-picker-label">
      <span id="group-picker-label" className="hint">Tick a group:</span>
      {groups.map(g => {
        const online = g.members.filter(m => machines.some(x => x.id === m.id && x.online)).length
        return (
          <button
            key={g.name}
            type="button"
            className="button group-chip"
            data-testid={`group-pick-${g.name}`}
            disabled={g.members.length === 0}
            title={g.members.map(m => m.name || m.fingerprint).join(', ')}
            onClick={() => onPick(g.members.map(m => m.id))}
          >
            @{g.name} <span className="muted">{online}/{g.members.length} online</span>
          </button>
        )
      })}
    </div>
  )
}

/** Two machines answer for this id: a send to it is refused until one gets an identity of its own. */
const isTwin = (m: Machine): boolean => m.twinAddresses !== undefined

function matches (m: Machine, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (q === '') return true
  return [m.name, m.address, m.fingerprint, m.platform].some(s => s.toLowerCase().includes(q))
}

/** With no distribution yet, machines can be ticked already; Send waits for a file. */
export function SendPanel ({ dist }: { readonly dist: Distribution | null }) {
  const listed = useUi(s => s.app?.machines ?? NONE)
  const groups = useUi(s => s.app?.groups ?? NO_GROUPS)
  const machines = useMemo(() => choosable(listed, groups), [listed, groups])
  const ticked = useUi(s => s.ticked)
  const toggle = useUi(s => s.toggleMachine)
  const setTicked = useUi(s => s.setTicked)
  const offer = useUi(s => s.offer)
  const now = useNow()
  const [query, setQuery] = useState('')
  const [sending, setSending] = useState(false)
  const shown = useMemo(() => machines.filter(m => matches(m, query)), [machines, query])
  const memberIds = new Set(dist?.members.map(m => m.id) ?? [])
  const online = machines.filter(m => m.online && !isTwin(m))
  const twins = new Set(machines.filter(isTwin).map(m => m.id))
  // Only machines still listed count; one off the network waits for the file and gets it when back.
  // A machine ticked before its id was found on two machines no longer counts.
  const chosen = ticked.filter(id => machines.some(m => m.id === id) && !twins.has(id))
  const away = chosen.filter(id => !online.some(m => m.id === id)).length
  const pickGroup = (ids: readonly string[]) => setTicked([...ticked, ...ids.filter(id => !ticked.includes(id) && !twins.has(id))])

  const send = async () => {
    if (dist === null) return
    setSending(true)
    await offer(dist.infoHash, chosen)
    setSending(false)
  }

  return (
    <section className="card send" aria-labelledby="send-title">
      <div className="section-head">
        <h3 id="send-title">Send to machines</h3>
        {machines.length > 0 && (
          <div className="send-tools">
            <label className="inline-field">
              <span className="visually-hidden">Search machines by name, address or id</span>
              <input
                type="search"
                placeholder="Search machines"
                value={query}
                data-testid="machine-search"
                onChange={e => setQuery(e.currentTarget.value)}
              />
            </label>
            <button type="button" className="button" data-testid="select-all-online" disabled={online.length === 0} onClick={() => setTicked(online.map(m => m.id))}>
              All online
            </button>
          </div>
        )}
      </div>
      <GroupPicker groups={groups} machines={machines} onPick={pickGroup} />
      {machines.length === 0
        ? (
          <EmptyState title="No machines found yet.">
            Machines appear here when they run Swarmdrop on this network. Not seeing one? Check it is
            running and on the same network, or send from the command line with its address.
          </EmptyState>
          )
        : shown.length === 0
          ? <EmptyState title={`No machine matches “${query}”.`} />
          : (
            <ul className="machine-list">
              {shown.map(m => (
                <li key={m.id} className={m.online ? 'machine' : 'machine machine-offline'}>
                  <label className="machine-label">
                    <input
                      type="checkbox"
                      data-testid={`machine-${m.name}`}
                      checked={ticked.includes(m.id) && !isTwin(m)}
                      disabled={isTwin(m)}
                      aria-describedby={m.twinProblem !== undefined ? `send-twin-${m.id}` : undefined}
                      onChange={e => toggle(m.id, e.currentTarget.checked)}
                    />
                    <span className="machine-name">{m.name}</span>
                  </label>
                  <MachineMeta m={m} />
                  <span className="machine-flags">
                    <span className={m.online ? 'state state-ok' : 'state state-idle'}>
                      <span aria-hidden="true">{m.online ? '●' : '○'}</span> {m.online ? 'online' : m.lastSeen === '' ? 'offline' : `offline · last seen ${formatAgo(m.lastSeen, now)}`}
                    </span>
                    {!m.online && ticked.includes(m.id) && <span className="tag">gets it when back</span>}
                    {m.trusted && <span className="tag tag-trusted">trusted</span>}
                    {memberIds.has(m.id) && <span className="tag">already in this swarm</span>}
                    {isTwin(m) && <span className="tag tag-danger">{m.twinAddresses?.length ?? 2} machines, one id</span>}
                  </span>
                  {m.twinProblem !== undefined && <span className="field-error machine-problem" id={`send-twin-${m.id}`} data-testid={`send-twin-problem-${m.name}`}>{m.twinProblem}</span>}
                </li>
              ))}
            </ul>
            )}
      <div className="send-foot">
        <button
          type="button"
          className="button button-primary"
          data-testid="send-button"
          disabled={dist === null || chosen.length === 0 || sending}
          onClick={() => { void send() }}
        >
          {sending ? 'Sending…' : `Send to ${plural(chosen.length, 'machine')}`}
        </button>
        {dist === null
          ? <span className="hint">Choose or drop a file first; it goes to the machines ticked here.</span>
          : chosen.length === 0 && machines.length > 0
            ? <span className="hint">Tick the machines that should get this {contentNoun(dist)}.</span>
            : away > 0 && <span className="hint" data-testid="send-away-hint">{plural(away, 'ticked machine is', 'ticked machines are')} off the network: {away === 1 ? 'it gets' : 'they get'} the {dist === null ? 'file' : contentNoun(dist)} when {away === 1 ? 'it comes' : 'they come'} back.</span>}
      </div>
    </section>
  )
}
