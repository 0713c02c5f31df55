// Groups and the machines met before, read and edited in a data directory while no device runs
// for it (`swarmdrop group` with no agent): the same contract types the running device answers.
import type { ApiResult, Command, CommandReplies, MachineGroup } from '../../../common/api.js'
import { ok } from '../../../common/result.js'
import { KnownDevices } from '../identity/known-devices.js'
import { GroupsStore } from '../settings/groups-store.js'
import { TrustStore } from '../settings/trust-store.js'
import { groupView } from './groups.js'

/** A machine this data directory has met (its key is pinned): its id and last name. */
export interface MetMachine { readonly id: string; readonly name: string }

export type GroupCommand = Extract<Command, { readonly type: 'group-add' | 'group-remove' | 'group-set' }>

export function isGroupCommand (c: Command): c is GroupCommand {
  return c.type === 'group-add' || c.type === 'group-remove' || c.type === 'group-set'
}

/** Every device whose key this data directory has met, for resolving id prefixes. */
export async function metMachines (dataDir: string): Promise<ApiResult<readonly MetMachine[]>> {
  const known = await KnownDevices.load(dataDir)
  if (!known.ok) return known
  return ok(known.value.list().map(d => ({ id: d.id, name: d.name })))
}

/** The groups as kept, each member named from what the data directory knows (none is online: no device runs). */
export async function storedGroups (dataDir: string): Promise<ApiResult<readonly MachineGroup[]>> {
  const [store, known, trust] = await Promise.all([GroupsStore.load(dataDir), KnownDevices.load(dataDir), TrustStore.load(dataDir)])
  if (!store.ok) return store
  if (!known.ok) return known
  if (!trust.ok) return trust
  return ok(store.value.list().map(g => groupView(g, { online: [], gone: [], known: id => known.value.get(id), trusted: trust.value.list() })))
}

/** Carries out a group command on the stored groups; the caller holds the data directory's claim. */
export async function runGroupOffline (dataDir: string, c: GroupCommand): Promise<ApiResult<CommandReplies['group-add'] | CommandReplies['group-remove']>> {
  const store = await GroupsStore.load(dataDir)
  if (!store.ok) return store
  const done = c.type === 'group-add'
    ? await store.value.add(c.name, c.ids)
    : c.type === 'group-set' ? await store.value.set(c.name, c.ids) : await store.value.remove(c.name, c.ids)
  if (!done.ok) return done
  const known = await KnownDevices.load(dataDir)
  const view = done.value === null ? null : groupView(done.value, { online: [], gone: [], known: id => known.ok ? known.value.get(id) : undefined, trusted: [] })
  return c.type === 'group-remove' ? ok({ group: view }) : ok(view as MachineGroup)
}
