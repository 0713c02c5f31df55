// What the local API's status answers: the node's status, with each distribution's member rows
// and swarm totals as the app's machine table shows them. The rows come from the AppService (core
// /app's distributionView over the node), so `swarmdrop status` and the UI cannot disagree.
import type { MemberRow, SwarmTotals } from '../../common/api.js'
import type { AppService } from '../core/app/app-service.js'
import type { DistributionView, NodeStatus, SwarmNode } from '../core/node/swarm-node.js'

export interface LocalDistribution extends DistributionView {
  /** One row per machine of the distribution, this device's own included. */
  readonly members: readonly MemberRow[]
  readonly totals: SwarmTotals
}

export interface LocalStatus extends Omit<NodeStatus, 'distributions'> {
  readonly distributions: readonly LocalDistribution[]
}

export function localStatus (node: SwarmNode, app: AppService): LocalStatus {
  // Both read the registry in this same turn of the event loop, so they list the same distributions.
  const status = node.status()
  const shown = new Map(app.state().distributions.map(d => [d.infoHash, d]))
  return {
    ...status,
    distributions: status.distributions.flatMap(d => {
      const view = shown.get(d.record.infoHash)
      return view === undefined ? [] : [{ ...d, members: view.members, totals: view.totals }]
    })
  }
}
