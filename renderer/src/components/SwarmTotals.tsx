// The numbers people act on, big and plain: how many recipients are verified, how long the slowest
// needs, who will not get it, how little the origin had to send. Figures wrap, never get cut.
import type { Distribution } from '../../../preload/api.js'
import { attentionOf } from '../format/attention.js'
import { contentNoun } from '../format/content-noun.js'
import { formatCount, formatDuration, formatMultiple, formatRate, plural } from '../format/format.js'
import { useLinkLost, useUi } from '../store/context.js'
import { etaSettling, isReceiving, receivingKey } from '../store/receiving.js'
import { useNow } from './use-now.js'

type Tone = 'plain' | 'primary' | 'warn' | 'danger'

function Figure ({ value, label, testId, tone = 'plain', icon }: { readonly value: string; readonly label: string; readonly testId?: string; readonly tone?: Tone; readonly icon?: string }) {
  return (
    <div className={`figure figure-${tone}`} data-testid={testId !== undefined ? `${testId}-figure` : undefined}>
      <dt className="figure-label">{label}</dt>
      <dd className="figure-value" data-testid={testId}>
        {icon !== undefined && <span className="figure-icon" aria-hidden="true">{icon} </span>}
        {value}
      </dd>
    </div>
  )
}

const UNTIL_DONE = 'until the slowest is done'

/**
 * The slowest receiver's ETA, "estimating…" while any receiver's rate has not settled, and "on
 * hold" (said short: it is the big figure, 800 px wide) while one cannot finish before something
 * else happens (space freed on a full disk, a machine that is away back), so there is no time to
 * promise. A machine lost mid-transfer puts it on hold too: the others' time is not the slowest's.
 */
function slowestFigure (dist: Distribution, since: Readonly<Record<string, number>>, now: number, linkLost: boolean): { value: string; label: string } {
  if (linkLost) return { value: '—', label: UNTIL_DONE }
  const full = dist.members.filter(m => m.state === 'no-space')
  if (full.length > 0) return { value: 'on hold', label: `until space is freed ${full.length > 1 ? `on ${full.length} machines` : full[0]?.self === true ? 'here' : `on ${full[0]?.name ?? 'a machine'}`}` }
  // A machine lost mid-transfer is the slowest: the others' time is not when everyone is done.
  const away = dist.members.filter(m => m.state === 'lost')
  if (away.length > 0) return { value: 'on hold', label: `until ${away.length > 1 ? `${away.length} machines that are away return` : `${away[0]?.name ?? 'a machine'} returns`}` }
  const receiving = dist.members.filter(m => isReceiving(m.state))
  if (receiving.length === 0) return { value: '—', label: UNTIL_DONE }
  if (receiving.some(m => m.waitsForSource === true)) return { value: 'on hold', label: 'until a machine that is away returns' }
  if (receiving.some(m => etaSettling(m, since[receivingKey(dist.infoHash, m.id)], now))) return { value: 'estimating…', label: UNTIL_DONE }
  return { value: formatDuration(dist.totals.slowestEtaSeconds), label: UNTIL_DONE }
}

export function SwarmTotals ({ dist }: { readonly dist: Distribution }) {
  const receivingSince = useUi(s => s.receivingSince)
  const now = useNow()
  const linkLost = useLinkLost()
  const totals = dist.totals
  const attention = attentionOf(dist)
  const refused = attention.declined + attention.failed
  return (
    <dl className="figures" aria-label="Swarm health" data-testid="swarm-totals">
      <Figure
        value={totals.recipients > 0 ? `${formatCount(totals.verifiedRecipients)} of ${formatCount(totals.recipients)}` : '—'}
        label={totals.recipients === 1 ? 'recipient verified' : 'recipients verified'}
        testId="totals-verified"
        tone="primary"
      />
      <Figure {...slowestFigure(dist, receivingSince, now, linkLost)} testId="totals-eta" tone="primary" />
      {refused > 0 && (
        <Figure
          value={formatCount(refused)}
          icon={attention.failed > 0 ? '✕' : '⊘'}
          label={attention.failed === 0 ? 'declined' : attention.declined === 0 ? 'failed' : 'declined or failed'}
          testId="totals-refused"
          tone={attention.failed > 0 ? 'danger' : 'warn'}
        />
      )}
      {attention.noSpace > 0 && <Figure value={formatCount(attention.noSpace)} icon="!" label="out of space, waiting" testId="totals-no-space" tone="danger" />}
      {attention.lost > 0 && <Figure value={formatCount(attention.lost)} icon="⚠" label="lost contact" testId="totals-lost" tone="warn" />}
      <Figure value={linkLost ? '—' : formatRate(totals.aggregateRate)} label="swarm receive rate" testId="totals-rate" />
      <Figure value={totals.copiesInSwarm.toFixed(1)} label="copies in the swarm" testId="totals-copies" />
      <Figure value={formatMultiple(totals.originUploadRatio)} label={`sent by the origin (× ${contentNoun(dist)} size)`} />
      <Figure value={linkLost ? '—' : formatCount(totals.peersConnected)} label={totals.peersConnected === 1 ? 'peer connected' : 'peers connected'} testId="totals-peers" />
      <Figure value={formatCount(totals.hashFailures)} label={totals.bannedPeers > 0 ? `bad pieces · ${plural(totals.bannedPeers, 'peer')} banned` : totals.hashFailures === 1 ? 'bad piece' : 'bad pieces'} />
    </dl>
  )
}
