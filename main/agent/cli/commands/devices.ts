// `swarmdrop peers`, `trust`, `untrust`, `offers`, `accept`, `decline`, `stop`: the machines on
// the LAN, which of them this device trusts, answers to offers waiting for a person, and stopping
// the device.
import { resolve } from 'node:path'
import type { IncomingOffer, Machine } from '../../../../common/api.js'
import { isDeviceId, shortFingerprint } from '../../../core/identity/device-id.js'
import { TrustStore } from '../../../core/settings/trust-store.js'
import { readHolder } from '../../device-lock.js'
import type { LocalClient } from '../../local-client.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { formatBytes } from '../../../../common/units.js'
import { pad, plural } from '../format.js'
import { acceptHint, isAcceptableOfferId, offerIdText } from '../offer-hint.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { dataDirOf, openSession, runningAgent } from '../session.js'
import { EXIT_OK, UsageError } from '../usage-error.js'

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

export const offersUsage: CommandUsage = {
  name: 'offers',
  synopsis: '',
  positionals: [],
  summary: 'Lists the offers waiting for an answer on this machine\'s agent (--accept ask or trusted).',
  flags: [DATA_DIR_FLAG, JSON_FLAG],
  examples: ['swarmdrop offers']
}

export const acceptUsage: CommandUsage = {
  name: 'accept',
  synopsis: 'OFFER_ID',
  positionals: ['OFFER_ID'],
  summary: 'Accepts a waiting offer: the agent downloads it, verified, into its downloads folder.',
  flags: [
    { name: 'downloads', type: 'string', value: 'DIR', meaning: 'put this one in DIR instead of the downloads folder' },
    { name: 'always', type: 'boolean', meaning: 'also trust the sender from now on (--accept trusted takes its offers at once)' },
    DATA_DIR_FLAG
  ],
  examples: ['swarmdrop accept 4f1c-2b9e', 'swarmdrop accept 4f1c-2b9e --downloads /srv/images --always']
}

export const declineUsage: CommandUsage = {
  name: 'decline',
  synopsis: 'OFFER_ID',
  positionals: ['OFFER_ID'],
  summary: 'Declines a waiting offer; the sender is told.',
  flags: [DATA_DIR_FLAG],
  examples: ['swarmdrop decline 4f1c-2b9e']
}

const PEERS_SETTLE_MS = 3_000

/** The machines the device hears on the LAN now. */
async function onlineMachines (client: LocalClient): Promise<Machine[]> {
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
      process.stdout.write(jsonLine(machines))
    } else if (machines.length === 0) {
      process.stdout.write('No machines found yet. Machines appear when they run Swarmdrop on this network.\n')
    } else {
      for (const x of machines) process.stdout.write(`${pad(terminalText(x.name), 20)} ${x.fingerprint}  ${pad(terminalText(x.address), 15)} ${pad(terminalText(x.platform), 8)} ${x.trusted ? 'trusted' : ''}\n`)
    }
    return EXIT_OK
  } finally {
    await session.close()
  }
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
  if (!isDeviceId(id)) throw new UsageError(`${command}: "${given}" is not a device id (32 hex digits; see swarmdrop peers --json)`)
  if (agent) {
    const r = await agent.run({ type: command, id })
    if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  } else {
    // No device runs for this data directory: its trust list is changed where it is kept.
    const store = await TrustStore.load(dataDir)
    if (!store.ok) throw new UsageError(store.error.message)
    if (trust) {
      const r = await store.value.trust(id, '')
      if (!r.ok) throw new UsageError(r.error.message)
    } else if (!(await store.value.untrust(id))) {
      throw new UsageError(`untrust: ${id} is not trusted`)
    }
  }
  process.stdout.write(`${trust ? 'trusted' : 'no longer trusted'}: ${shortFingerprint(id)} (${id})\n`)
  return EXIT_OK
}

export async function offersCommand (args: readonly string[]): Promise<number> {
  const p = parse(offersUsage, args)
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError('offers: no agent is running for this data directory (start one with swarmdrop agent)')
  const s = await agent.state()
  if (!s.ok) throw new UsageError(s.error.message)
  const offers = s.value.offers
  if (flag(p, 'json')) process.stdout.write(jsonLine(offers))
  else if (offers.length === 0) process.stdout.write('No offers are waiting.\n')
  else for (const o of offers) process.stdout.write(offerText(o))
  return EXIT_OK
}

/** One waiting offer for a person: what, how big, from whom (every part of it came from the sender), and how to accept it. */
export function offerText (o: IncomingOffer): string {
  const files = o.fileCount > 1 ? `, ${plural(o.fileCount, 'file')}` : ''
  return `${offerIdText(o.offerId)}  ${terminalText(o.name)} (${formatBytes(o.totalLength)}${files}) from ${terminalText(o.sender.name)} (${terminalText(o.sender.fingerprint)}) at ${terminalText(o.sender.address)}\n` +
    `  ${acceptHint(o.offerId)}\n`
}

export async function answerCommand (args: readonly string[], accept: boolean): Promise<number> {
  const command = accept ? 'accept' : 'decline'
  const p = parse(accept ? acceptUsage : declineUsage, args)
  const offerId = p.positionals[0]
  if (offerId === undefined) throw new UsageError(`${command}: which offer? (see swarmdrop offers)`)
  // The local API would answer "not found" for such an id: say what is wrong with it instead.
  if (!isAcceptableOfferId(offerId)) throw new UsageError(`${command}: ${terminalText(JSON.stringify(offerId))} is not an offer id (letters, digits and dashes; see swarmdrop offers)`)
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError(`${command}: no agent is running for this data directory`)
  const downloads = str(p, 'downloads')
  const r = accept
    ? await agent.run({ type: 'accept', offerId, ...(downloads ? { downloadsDir: resolve(downloads) } : {}), ...(flag(p, 'always') ? { alwaysTrust: true } : {}) })
    : await agent.run({ type: 'decline', offerId })
  if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  process.stdout.write(`${accept ? 'accepted' : 'declined'} ${offerId}\n`)
  return EXIT_OK
}
