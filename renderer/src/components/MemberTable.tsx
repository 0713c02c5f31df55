// One row per machine of the distribution: where it is and how fast it is getting there.
import type { Distribution } from '../../../preload/api.js'
import { formatDuration, formatRate } from '../format/format.js'
import { memberLabel } from '../format/labels.js'
import { EmptyState } from './EmptyState.js'
import { ProgressBar } from './ProgressBar.js'
import { StateBadge } from './StateBadge.js'

export function MemberTable ({ dist }: { readonly dist: Distribution }) {
  if (dist.members.length === 0) {
    return (
      <EmptyState title="Not sent to any machine yet.">
        {dist.role === 'origin' ? 'Tick machines below and press Send; each one is asked to accept.' : 'This device does not know the other machines of this swarm yet.'}
      </EmptyState>
    )
  }
  return (
    <table className="members" data-testid="members">
      <thead>
        <tr>
          <th scope="col">Machine</th>
          <th scope="col">State</th>
          <th scope="col">Progress</th>
          <th scope="col" className="num">Rate</th>
          <th scope="col" className="num">ETA</th>
          <th scope="col">Whole file</th>
        </tr>
      </thead>
      <tbody>
        {dist.members.map(m => {
          const done = m.state === 'verified'
          return (
            <tr key={m.id} data-testid={`member-${m.name}`}>
              <th scope="row" className="member-name">
                <div className="member-name-inner">
                  <span>{m.name}</span>
                  {m.self && <span className="tag">this device</span>}
                  {m.origin && <span className="tag">origin</span>}
                  <span className="fingerprint">{m.fingerprint}</span>
                </div>
              </th>
              <td>
                <StateBadge label={memberLabel(m.state)} raw={m.state} />
                {m.reason !== undefined && <span className="reason">{m.reason}</span>}
              </td>
              <td><ProgressBar fraction={dist.totalLength > 0 ? m.verifiedBytes / dist.totalLength : 0} label={`${m.name} progress`} /></td>
              <td className="num">{done || m.rate <= 0 ? '—' : formatRate(m.rate)}</td>
              <td className="num">{done ? '—' : formatDuration(m.etaSeconds)}</td>
              <td>
                {m.verified
                  ? <span className="state state-ok"><span aria-hidden="true">✓</span> SHA-256 matched</span>
                  : <span className="muted">not checked yet</span>}
                {m.hashFailures > 0 && <span className="reason">{m.hashFailures} bad pieces refetched</span>}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
