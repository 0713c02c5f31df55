// The pair and unpair commands: add a machine by address (its control port, default 47620), or
// forget one. The node dials it at once, so the answer says who answered, or why nobody did.
import type { ApiResult, CommandReplies } from '../../../common/api.js'
import { ok } from '../../../common/result.js'
import type { SwarmNode } from '../node/swarm-node.js'
import { DEFAULT_CONTROL_PORT } from '../settings/settings.js'

export async function pairCommand (node: SwarmNode, host: string, port: number | undefined): Promise<ApiResult<CommandReplies['pair']>> {
  return await node.pairings.pair(host, port ?? DEFAULT_CONTROL_PORT, node.identity.id)
}

export async function unpairCommand (node: SwarmNode, id: string): Promise<ApiResult<CommandReplies['unpair']>> {
  const removed = await node.pairings.unpair(id)
  return removed.ok ? ok({}) : removed
}
