// `swarmdrop peers`, `trust`, `untrust`, `stop`: the machines on the LAN, which of them this
// device trusts, and stopping the device.
import type { Machine } from '../../../../common/api.js'
import type { PeersReport } from '../../../../common/cli-json.js'
import { parseCommand } from '../../../../common/commands.js'
import { isDeviceId, shortFingerprint } from '../../../../common/device-id.js'
import { readHolder } from '../../../core/app/device-lock.js'
import { runOffline } from '../../../core/app/offline-commands.js'
import type { DeviceClient } from '../../../core/app/device-client.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { pad } from '../format.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { dataDirOf, openSession, runningAgent } from '../session.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'

export const stopUsage: CommandUsage = {
  name: 'stop',
  synopsis: '',
  positionals: [],
  summary: 'Stops the device running for the data directory (an agent, or a send that runs its own); it leaves the LAN cleanly.',
  flags: [DATA_DIR_FLAG],
  examples: ['swarmdrop stop', 'swarmdrop stop --data-dir /srv/swarmdrop']
}

export const peersUsage: CommandUsage = {
  name: 'peers',
  synopsis: '',
  positionals: [],
  summary: 'Lists the machines found on the LAN: name, id, address, platform, trusted.',
  details: 'Asks the running agent; without one, listens on the LAN for a few seconds itself.',
  flags: [DATA_DIR_FLAG, JSON_FLAG],
  examples: ['swarmdrop peers', 'swarmdrop peers --json']
}

const trustUsageOf = (trust: boolean): CommandUsage => ({
  name: trust ? 'trust' : 'untrust',
  synopsis: 'ID',
  positionals: ['ID'],
  summary: trust
    ? 'Trusts a device: an agent with --accept trusted accepts its offers without asking.'
    : 'Stops trusting a device: its offers are asked about again.',
  details: 'ID is the device id (32 hex digits, see swarmdrop peers --json) or a prefix naming one machine on the LAN; never a name, since names are not identities.',
  flags: [DATA_DIR_FLAG],
  examples: [`swarmdrop ${trust ? 'trust' : 'untrust'} 9f3ac21e`]
})
export const trustUsage = trustUsageOf(true)
export const untrustUsage = trustUsageOf(false)

const PEERS_SETTLE_MS = 3_000

/** The machines the device hears on the LAN now. */
async function onlineMachines (client: DeviceClient): Promise<Machine[]> {
  const state = await client.state()
  if (!state.ok) throw new UsageError(state.error.message)
  return state.value.machines.filter(m => m.online)
}

export async function peersCommand (args: readonly string[]): Promise<number> {
  const p = parse(peersUsage, args)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const warm = await runningAgent(dataDir)
  const session = await openSession(dataDir, {})
  try {
    if (!warm) await new Promise(resolve => setTimeout(resolve, PEERS_SETTLE_MS))
    const machines = await onlineMachines(session.client)
    if (flag(p, 'json')) {
      const report: PeersReport = machines
      process.stdout.write(jsonLine(report))
    } else if (machines.length === 0) {
      process.stdout.write('No machines found yet. Machines appear when they run Swarmdrop on this network.\n')
    } else {
      for (const x of machines) process.stdout.write(peerLine(x))
    }
    return EXIT_OK
  } finally {
    await session.close()
  }
}

/**
 * One machine of `peers`: name, fingerprint, address, platform, trust, and what a person must know
 * before naming it: a name another machine shares, an id two machines answer for (under the row).
 */
export function peerLine (x: Machine): string {
  const twin = x.twinAddresses !== undefined ? `${x.twinAddresses.length} machines hold this id` : ''
  const marks = [x.trusted ? 'trusted' : '', x.sharedName === true ? 'name shared: use its id' : '', twin].filter(m => m !== '').join(', ')
  const row = `${pad(terminalText(x.name), 20)} ${x.fingerprint}  ${pad(terminalText(x.address), 15)} ${pad(terminalText(x.platform), 8)} ${marks}`.trimEnd()
  return x.twinProblem !== undefined ? `${row}\n  ! ${terminalText(x.twinProblem)}\n` : `${row}\n`
}

export async function stopCommand (args: readonly string[]): Promise<number> {
  const p = parse(stopUsage, args)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  if (!agent) throw new UsageError(`stop: no device is running for ${dataDir}`)
  const r = await agent.run({ type: 'stop' })
  if (!r.ok) throw new UsageError(`stop: ${r.error.message}`)
  // The device leaves the network, then gives the data directory up: wait for that.
  const until = Date.now() + 30_000
  while (await readHolder(dataDir) !== undefined) {
    if (Date.now() > until) throw new UsageError(`stop: the device of ${dataDir} did not stop within 30 s`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  process.stdout.write(`stopped the device of ${dataDir}\n`)
  return EXIT_OK
}

export async function trustCommand (args: readonly string[], trust: boolean): Promise<number> {
  const command = trust ? 'trust' : 'untrust'
  const p = parse(trust ? trustUsage : untrustUsage, args)
  const given = p.positionals[0]
  if (given === undefined) throw new UsageError(`${command}: which device? (swarmdrop ${command} ID)`)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  let id = given.toLowerCase()
  const prefix = id.replace(/[·\-]/g, '')
  if (!isDeviceId(id) && agent) {
    // An id prefix is enough when it names exactly one machine on the network now.
    const m = (await onlineMachines(agent)).filter(x => x.id.startsWith(prefix))
    if (m.length === 1 && m[0]) id = m[0].id
  }
  // The contract's check: the same id rule as the window's and the local API's.
  const parsed = parseCommand({ type: command, id })
  if (!parsed.ok) throw new UsageError(`${command}: "${given}" is not a device id (32 hex digits; see swarmdrop peers --json)`)
  // No device runs for this data directory: its trust list is changed where it is kept.
  const r = agent ? await agent.run(parsed.value) : await runOffline(dataDir, parsed.value)
  if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  process.stdout.write(`${trust ? 'trusted' : 'no longer trusted'}: ${shortFingerprint(id)} (${id})\n`)
  return EXIT_OK
}
