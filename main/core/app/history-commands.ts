// The `report` and `prune-history` commands against a running device's history.
import type { ApiResult, CommandReplies } from '../../../common/api.js'
import { ok } from '../../../common/result.js'
import { fleetReport, type ReportFilter } from '../history/fleet-report.js'
import type { SwarmNode } from '../node/swarm-node.js'

export async function reportOf (node: SwarmNode, filter: ReportFilter): Promise<ApiResult<CommandReplies['report']>> {
  const log = await node.history.current()
  return fleetReport(log.list(), { id: node.identity.id, name: node.settings.name }, filter)
}

export async function pruneHistory (node: SwarmNode, before: string): Promise<ApiResult<CommandReplies['prune-history']>> {
  const log = await node.history.current()
  return ok(await log.prune(before))
}
