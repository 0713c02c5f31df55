// The pair and unpair commands: add a machine by address (its control port, default 47620), or
// forget one. The node dials it at once, so the answer says who answered, or why nobody did.
import type { ApiResult, CommandReplies, Machine } from '../../../common/api.js'
import type { PairedListing } from '../../../common/cli-json.js'
import { shortFingerprint } from '../../../common/device-id.js'
import { ok } from '../../../common/result.js'
import type { SwarmNode } from '../node/swarm-node.js'
import { endpointText, PairedStore } from '../pairing/paired-store.js'
import { DEFAULT_CONTROL_PORT } from '../settings/settings.js'

export async function pairCommand (node: SwarmNode, host: string, port: number | undefined): Promise<ApiResult<CommandReplies['pair']>> {
  return await node.pairings.pair(host, port ?? DEFAULT_CONTROL_PORT, node.identity.id)
}

export async function unpairCommand (node: SwarmNode, id: string): Promise<ApiResult<CommandReplies['unpair']>> {
  const removed = await node.pairings.unpair(id)
  return removed.ok ? ok({}) : removed
}

/** The machines added by address among a running device's machines. */
export function pairedListing (machines: readonly Machine[]): PairedListing[] {
  return machines.flatMap(m => m.pairedAddress === undefined ? [] : [{
    id: m.id,
    fingerprint: m.fingerprint,
    name: m.name,
    pairedAddress: m.pairedAddress,
    online: m.online,
    ...(m.address !== '' ? { address: m.address } : {}),
    ...(m.pairProblem !== undefined ? { problem: m.pairProblem } : {})
  }])
}

/** The machines added by address as the data directory keeps them, while no device runs for it. */
export async function pairedOffline (dataDir: string): Promise<ApiResult<PairedListing[]>> {
  const store = await PairedStore.load(dataDir)
  if (!store.ok) return store
  return ok(store.value.list().map(d => ({ id: d.id, fingerprint: shortFingerprint(d.id), name: d.name, pairedAddress: endpointText(d), online: null })))
}
