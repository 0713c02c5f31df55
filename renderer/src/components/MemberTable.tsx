// One row per machine of the distribution: where it is and how fast it is getting there. A lost,
// declined or failed machine stands out (tone, icon and words); a state this device has not heard
// reads "unknown", never a made-up 0 %.
import type { Distribution, MemberRow } from '../../../preload/api.js'
import { contentNoun } from '../format/content-noun.js'
import { formatDuration, formatRate, formatSince, plural } from '../format/format.js'
import { memberLabel, needsAttention, verifiedOfflineLabel } from '../format/labels.js'
import type { StateLabel } from '../format/labels.js'
import { useLinkLost, useUi } from '../store/context.js'
import { etaSettling, isReceiving, receivingKey } from '../store/receiving.js'
import { EmptyState } from './EmptyState.js'
import { ProgressBar } from './ProgressBar.js'
import { StateBadge } from './StateBadge.js'
import { useNow } from './use-now.js'

/** The words of a member's state, with what only this row knows (how long lost or offline, already had it). */
function rowLabel (m: MemberRow, now: number): StateLabel {
  const base = memberLabel(m.state)
  if (m.state === 'lost' && m.lostSince !== undefined) return { ...base, text: `lost contact ${formatSince(m.lostSince, now)} ago` }
  if (m.state === 'verified' && m.offlineSince !== undefined) return verifiedOfflineLabel(formatSince(m.offlineSince, now))
  if (m.state === 'verified' && m.alreadyHad === true) return { ...base, text: 'verified · already had it' }
  return base
}

function etaText (m: MemberRow, since: number | undefined, now: number, linkLost: boolean): string {
  if (!isReceiving(m.state) || m.waitsForSource === true || linkLost) return '—'
  return etaSettling(m, since, now) ? 'estimating…' : formatDuration(m.etaSeconds)
}

export function MemberTable ({ dist }: { readonly dist: Distribution }) {
  const receivingSince = useUi(s => s.receivingSince)
  const now = useNow()
  const linkLost = useLinkLost()
  // "Whole folder" for a folder: its SHA-256 is of every file in it (the folder content hash).
  const whole = `Whole ${contentNoun(dist)}`
  if (dist.members.length === 0) {
    return (
      <EmptyState title="Not sent to any machine yet.">
        {dist.role === 'origin' ? 'Tick machines below and press Send; each one is asked to accept.' : 'This device does not know the other machines of this swarm yet.'}
      </EmptyState>
    )
  }
  return (
    <div className="table-scroll">
      <table className="members" data-testid="members">
        <thead>
          <tr>
            <th scope="col">Machine</th>
            <th scope="col">State</th>
            <th scope="col">Progress</th>
            <th scope="col" className="num">Rate</th>
            <th scope="col" className="num">ETA</th>
            <th scope="col">{whole}</th>
          </tr>
        </thead>
        <tbody>
          {dist.members.map(m => {
            const unknown = m.state === 'unknown'
            const attention = needsAttention(m.state)
            return (
              <tr key={m.id} data-testid={`member-${m.name}`} data-state={m.state} data-offline={m.offlineSince !== undefined ? 'true' : undefined} className={attention ? `member-row member-attention member-${m.state}` : 'member-row'}>
                <th scope="row" className="member-name">
                  <div className="member-name-inner">
                    <span>{m.name}</span>
                    {m.self && <span className="tag">this device</span>}
                    {m.origin && <span className="tag">origin</span>}
                    <span className="fingerprint">{m.fingerprint}</span>
                  </div>
                </th>
                <td data-label="State" data-testid={`member-state-${m.name}`}>
                  <StateBadge label={rowLabel(m, now)} raw={m.state} />
                  {m.state === 'lost' && <span className="state-note"> — resumes when it returns</span>}
                  {isReceiving(m.state) && m.waitsForSource === true && <span className="state-note" data-testid={`member-waits-${m.name}`}> — the rest is on a machine that is away</span>}
                  {m.reason !== undefined && <span className="reason">{m.reason}</span>}
                </td>
                <td data-label="Progress">
                  {unknown
                    ? <span className="muted" title="This device has not heard this machine's progress yet">unknown</span>
                    : <ProgressBar fraction={dist.totalLength > 0 ? m.verifiedBytes / dist.totalLength : 0} label={`${m.name} progress`} />}
                </td>
                <td data-label="Rate" className="num" data-testid={`member-rate-${m.name}`}>{isReceiving(m.state) && m.rate > 0 && !linkLost ? formatRate(m.rate) : '—'}</td>
                <td data-label="ETA" className="num" data-testid={`member-eta-${m.name}`}>{etaText(m, receivingSince[receivingKey(dist.infoHash, m.id)], now, linkLost)}</td>
                <td data-label={whole}>
                  {m.verified
                    ? <span className="state state-ok"><span aria-hidden="true">✓</span> SHA-256 matched</span>
                    : <span className="muted">not checked yet</span>}
                  {m.hashFailures > 0 && <span className="reason">{plural(m.hashFailures, 'bad piece')} refetched</span>}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
