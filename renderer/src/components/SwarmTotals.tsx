// The numbers people act on, big and plain: how many are done, how long the slowest needs, how
// little the origin had to send.
import type { SwarmTotals as Totals } from '../../../preload/api.js'
import { formatDuration, formatMultiple, formatRate } from '../format/format.js'

function Figure ({ value, label, testId, primary = false }: { readonly value: string; readonly label: string; readonly testId?: string; readonly primary?: boolean }) {
  return (
    <div className={primary ? 'figure figure-primary' : 'figure'}>
      <dt className="figure-label">{label}</dt>
      <dd className="figure-value" data-testid={testId}>{value}</dd>
    </div>
  )
}

export function SwarmTotals ({ totals }: { readonly totals: Totals }) {
  return (
    <dl className="figures" aria-label="Swarm health" data-testid="swarm-totals">
      <Figure value={`${totals.verifiedMachines}/${totals.machines}`} label="machines verified" testId="totals-verified" primary />
      <Figure value={formatDuration(totals.slowestEtaSeconds)} label="until the slowest is done" primary />
      <Figure value={formatRate(totals.aggregateRate)} label="swarm receive rate" />
      <Figure value={totals.copiesInSwarm.toFixed(1)} label="copies in the swarm" />
      <Figure value={formatMultiple(totals.originUploadRatio)} label="sent by the origin (× file size)" />
      <Figure value={String(totals.peersConnected)} label="peers connected" />
      <Figure value={String(totals.hashFailures)} label={totals.bannedPeers > 0 ? `bad pieces · ${totals.bannedPeers} peers banned` : 'bad pieces'} />
    </dl>
  )
}
