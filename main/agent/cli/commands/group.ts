// `swarmdrop group add|remove|list`: named sets of machines, by device id (never by name), for
// `send --to @NAME`. Through the running agent when one runs (the local API's commands route),
// otherwise in the data directory itself, as `trust` does.
import type { Command, MachineGroup } from '../../../../common/api.js'
import { isGroupName, MAX_GROUP_MEMBERS } from '../../../../common/commands.js'
import { isDeviceId, shortFingerprint } from '../../../../common/device-id.js'
import type { DeviceClient } from '../../../core/app/device-client.js'
import { runOffline } from '../../../core/app/offline-commands.js'
import { metMachines, storedGroups } from '../../../core/app/offline-groups.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { pad, plural } from '../format.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'

export const groupUsage: CommandUsage = {
  name: 'group',
  synopsis: '(add NAME ID... | remove NAME [ID...] | list)',
  positionals: ['ACTION', 'NAME', 'ID'],
  summary: 'Keeps named groups of machines by device id, for send --to @NAME.',
  details: `add creates the group if needed and adds the machines; remove takes machines out, or without
IDs deletes the group; list shows each group with its machines. An ID is a device id (32 hex
digits) or a prefix of one naming exactly one machine this device has seen; never a name, since
anyone may take a name. A member that is off the network when a file is sent to the group gets
it when it comes back. NAME: 1 to 32 letters, digits, dots, dashes or underscores.`,
  flags: [DATA_DIR_FLAG, { ...JSON_FLAG, meaning: 'print JSON: list prints the groups, add and remove the group changed (MachineGroup of common/api.ts; null once deleted)' }],
  examples: ['swarmdrop group add lab 9f3ac21e 1b7d04aa', 'swarmdrop group remove lab 1b7d04aa', 'swarmdrop group list --json']
}

/** A machine an id prefix may name: its id and the name it was last seen with. */
interface Seen { readonly id: string; readonly name: string }

/** Machines this device has seen: the agent's list now, and every device whose key it has met. */
async function seenMachines (dataDir: string, agent: DeviceClient | undefined): Promise<Seen[]> {
  const seen = new Map<string, Seen>()
  if (agent) {
    const s = await agent.state()
    if (!s.ok) throw new UsageError(`group: ${s.error.message}`)
    for (const m of s.value.machines) seen.set(m.id, { id: m.id, name: m.name })
  }
  const met = await metMachines(dataDir)
  if (!met.ok) throw new UsageError(`group: ${met.error.message}`)
  for (const d of met.value) if (!seen.has(d.id)) seen.set(d.id, d)
  return [...seen.values()]
}

/** Full device ids from what was typed: a full id as it is, a prefix when it names exactly one of `among`. */
export function resolveIds (given: readonly string[], among: readonly Seen[]): string[] {
  const ids: string[] = []
  for (const g of given) {
    const typed = g.toLowerCase().replace(/[·:\-\s]/g, '')
    let id: string | undefined = isDeviceId(typed) ? typed : undefined
    if (id === undefined) {
      if (!/^[0-9a-f]{4,31}$/.test(typed)) throw new UsageError(`group: "${terminalText(g)}" is not a device id or id prefix (hex digits; names are not identities: see swarmdrop peers)`)
      const m = among.filter(x => x.id.startsWith(typed))
      if (m.length === 0) throw new UsageError(`group: no machine seen here has an id starting ${typed} (see swarmdrop peers)`)
      if (m.length > 1) throw new UsageError(`group: ${typed} names ${m.map(x => `${terminalText(x.name)} (${shortFingerprint(x.id)})`).join(', ')}; type more of the id`)
      id = m[0]?.id
    }
    if (id !== undefined && !ids.includes(id)) ids.push(id)
  }
  return ids
}

function printGroup (g: MachineGroup): void {
  process.stdout.write(`${terminalText(g.name)}: ${plural(g.members.length, 'machine')}\n`)
  for (const m of g.members) process.stdout.write(`  ${pad(terminalText(m.name || '(never seen)'), 20)} ${m.fingerprint}  ${m.id}  ${m.online ? 'online' : 'offline'}\n`)
}

/** The groups as the contract has them, from the agent or from the data directory. */
async function listGroups (dataDir: string, agent: DeviceClient | undefined): Promise<readonly MachineGroup[]> {
  if (agent) {
    const s = await agent.state()
    if (!s.ok) throw new UsageError(`group: ${s.error.message}`)
    return s.value.groups
  }
  // No device runs: none is on the network as far as this data directory knows.
  const stored = await storedGroups(dataDir)
  if (!stored.ok) throw new UsageError(`group: ${stored.error.message}`)
  return stored.value
}

export async function groupCommand (args: readonly string[]): Promise<number> {
  // IDs are many: the parser is told how many positionals there are, the rest is checked here.
  const p = parse({ ...groupUsage, positionals: args.map(() => 'ARG') }, args)
  const [action, name, ...given] = p.positionals
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  if (action === 'list') {
    if (name !== undefined) throw new UsageError('group: list takes no name (swarmdrop group list [--json])')
    const groups = await listGroups(dataDir, agent)
    if (flag(p, 'json')) process.stdout.write(jsonLine(groups))
    else if (groups.length === 0) process.stdout.write('No groups yet. Make one with: swarmdrop group add NAME ID...\n')
    else for (const g of groups) printGroup(g)
    return EXIT_OK
  }
  if (action !== 'add' && action !== 'remove') throw new UsageError('group: add, remove or list? (swarmdrop group add NAME ID...)')
  if (name === undefined) throw new UsageError(`group: which group? (swarmdrop group ${action} NAME${action === 'add' ? ' ID...' : ' [ID...]'})`)
  if (!isGroupName(name)) throw new UsageError(`group: "${terminalText(name)}" is not a group name (1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit)`)
  if (action === 'add' && given.length === 0) throw new UsageError(`group: which machines? (swarmdrop group add ${name} ID...)`)
  if (given.length > MAX_GROUP_MEMBERS) throw new UsageError(`group: a group holds at most ${MAX_GROUP_MEMBERS} machines`)
  const seen = await seenMachines(dataDir, agent)
  let group: MachineGroup | null
  if (action === 'add') {
    const ids = resolveIds(given, seen)
    group = await run<MachineGroup>(dataDir, agent, { type: 'group-add', name, ids })
  } else {
    const groups = await listGroups(dataDir, agent)
    const members = groups.find(g => g.name.toLowerCase() === name.toLowerCase())?.members ?? []
    // A member may be a machine never seen here: its prefix is looked up among the group too.
    const ids = given.length === 0 ? undefined : resolveIds(given, [...members.map(m => ({ id: m.id, name: m.name })), ...seen.filter(s => !members.some(m => m.id === s.id))])
    group = (await run<{ group: MachineGroup | null }>(dataDir, agent, ids === undefined ? { type: 'group-remove', name } : { type: 'group-remove', name, ids })).group
  }
  if (flag(p, 'json')) process.stdout.write(jsonLine(group))
  else if (group === null) process.stdout.write(`deleted the group ${terminalText(name)}\n`)
  else printGroup(group)
  return EXIT_OK
}

/** Through the running agent, or on the data directory itself (claimed meanwhile) when none runs. */
async function run<T> (dataDir: string, agent: DeviceClient | undefined, command: Command): Promise<T> {
  const r = agent ? await agent.run(command) : await runOffline(dataDir, command)
  if (!r.ok) throw new UsageError(`group: ${r.error.message}`)
  return r.value as T
}
