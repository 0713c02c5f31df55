// `swarmdrop peers`, `trust`, `untrust`, `offers`, `accept`, `decline`: the machines on the LAN,
// which of them this device trusts, and answers to offers waiting for a person.
import { isDeviceId, shortFingerprint } from '../../../core/identity/device-id.js'
import { TrustStore } from '../../../core/settings/trust-store.js'
import { flag, parse, str } from '../args.js'
import { formatBytes, pad } from '../format.js'
import { dataDirOf, openSession, runningAgent } from '../session.js'
import { EXIT_OK, UsageError } from '../usage-error.js'

export const devicesHelp = `swarmdrop peers [--json] [--data-dir DIR]       machines found on the LAN
swarmdrop trust ID / swarmdrop untrust ID         accept offers from a device without asking (--accept trusted)
swarmdrop offers [--json]                         offers waiting for an answer
swarmdrop accept OFFER_ID [--downloads DIR] [--always]   accept (and with --always, trust the sender)
swarmdrop decline OFFER_ID`

const PEERS_SETTLE_MS = 3_000

export async function peersCommand (args: readonly string[]): Promise<number> {
  const p = parse('peers', args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } })
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const warm = await runningAgent(dataDir)
  const session = await openSession(dataDir, {})
  try {
    if (!warm) await new Promise(resolve => setTimeout(resolve, PEERS_SETTLE_MS))
    const r = await session.client.peers()
    if (!r.ok) throw new UsageError(r.error.message)
    if (flag(p, 'json')) {
      process.stdout.write(JSON.stringify(r.value.map(x => ({ id: x.id, name: x.name, address: x.address, platform: x.platform, version: x.version, controlPort: x.controlPort, btPort: x.btPort, trusted: x.trusted }))) + '\n')
    } else if (r.value.length === 0) {
      process.stdout.write('No machines found yet. Machines appear when they run Swarmdrop on this network.\n')
    } else {
      for (const x of r.value) process.stdout.write(`${pad(x.name, 20)} ${shortFingerprint(x.id)}  ${pad(x.address, 15)} ${pad(x.platform, 8)} ${x.trusted ? 'trusted' : ''}\n`)
    }
    return EXIT_OK
  } finally {
    await session.close()
  }
}

export async function trustCommand (args: readonly string[], trust: boolean): Promise<number> {
  const command = trust ? 'trust' : 'untrust'
  const p = parse(command, args, { 'data-dir': { type: 'string' } })
  const given = p.positionals[0]
  if (given === undefined) throw new UsageError(`${command}: which device? (swarmdrop ${command} ID)`)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  let id = given.toLowerCase()
  if (!isDeviceId(id) && agent) {
    // An id prefix is enough when it names exactly one machine on the network now.
    const peers = await agent.peers()
    const m = peers.ok ? peers.value.filter(x => x.id.startsWith(id.replace(/[·\-]/g, ''))) : []
    if (m.length === 1 && m[0]) id = m[0].id
  }
  if (!isDeviceId(id)) throw new UsageError(`${command}: "${given}" is not a device id (32 hex digits; see swarmdrop peers --json)`)
  if (agent) {
    const r = trust ? await agent.trust(id) : await agent.untrust(id)
    if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  } else {
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
  const p = parse('offers', args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } })
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError('offers: no agent is running for this data directory (start one with swarmdrop agent)')
  const s = await agent.status()
  if (!s.ok) throw new UsageError(s.error.message)
  if (flag(p, 'json')) process.stdout.write(JSON.stringify(s.value.offers) + '\n')
  else if (s.value.offers.length === 0) process.stdout.write('No offers are waiting.\n')
  else for (const o of s.value.offers) process.stdout.write(`${o.offerId}  ${o.name} (${formatBytes(o.totalLength)}) from ${o.sender.name} (${shortFingerprint(o.sender.id)})\n`)
  return EXIT_OK
}

export async function answerCommand (args: readonly string[], accept: boolean): Promise<number> {
  const command = accept ? 'accept' : 'decline'
  const p = parse(command, args, { downloads: { type: 'string' }, always: { type: 'boolean' }, 'data-dir': { type: 'string' } })
  const offerId = p.positionals[0]
  if (offerId === undefined) throw new UsageError(`${command}: which offer? (see swarmdrop offers)`)
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError(`${command}: no agent is running for this data directory`)
  const downloads = str(p, 'downloads')
  const r = accept
    ? await agent.accept(offerId, { ...(downloads ? { downloadsDir: downloads } : {}), ...(flag(p, 'always') ? { alwaysTrust: true } : {}) })
    : await agent.decline(offerId)
  if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  process.stdout.write(`${accept ? 'accepted' : 'declined'} ${offerId}\n`)
  return EXIT_OK
}
