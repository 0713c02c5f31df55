// Groups through the one door: the group commands, and each group as AppState shows it (members by
// id, with the name this device last heard and whether they are on the network now).
import type { ApiResult, CommandReplies, GroupMember, MachineGroup } from '../../../common/api.js'
import { ok } from '../../../common/result.js'
import type { Peer } from '../discovery/peer-info.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { KnownDevice } from '../identity/known-devices.js'
import type { StoredGroup } from '../settings/groups-store.js'
import type { TrustedDevice } from '../settings/trust-store.js'
import type { SwarmNode } from '../node/swarm-node.js'

export interface NameSources {
  readonly online: readonly Peer[]
  /** Machines seen earlier in this run that discovery lost. */
  readonly gone: readonly Peer[]
  readonly known: (id: string) => KnownDevice | undefined
  readonly trusted: readonly TrustedDevice[]
}

export function groupView (g: StoredGroup, names: NameSources): MachineGroup {
  const members = g.members.map((id): GroupMember => {
    const live = names.online.find(p => p.id === id)
    const name = live?.name ?? names.gone.find(p => p.id === id)?.name ?? names.known(id)?.name ?? names.trusted.find(t => t.id === id)?.name ?? ''
    return { id, fingerprint: shortFingerprint(id), name, online: live !== undefined }
  })
  return { name: g.name, members, createdAt: g.createdAt }
}

function namesOf (node: SwarmNode): NameSources {
  const gone = node.groups.list().flatMap(g => g.members.flatMap(id => node.discovery.departedPeer(id) ?? []))
  return { online: node.discovery.list(), gone, known: id => node.known.get(id), trusted: node.trust.list() }
}

export async function addToGroup (node: SwarmNode, name: string, ids: readonly string[]): Promise<ApiResult<CommandReplies['group-add']>> {
  const added = await node.groups.add(name, ids)
  return added.ok ? ok(groupView(added.value, namesOf(node))) : added
}

export async function setGroup (node: SwarmNode, name: string, ids: readonly string[]): Promise<ApiResult<CommandReplies['group-set']>> {
  const set = await node.groups.set(name, ids)
  return set.ok ? ok(groupView(set.value, namesOf(node))) : set
}

export async function removeFromGroup (node: SwarmNode, name: string, ids: readonly string[] | undefined): Promise<ApiResult<CommandReplies['group-remove']>> {
  const removed = await node.groups.remove(name, ids)
  if (!removed.ok) return removed
  return ok({ group: removed.value === null ? null : groupView(removed.value, namesOf(node)) })
}
