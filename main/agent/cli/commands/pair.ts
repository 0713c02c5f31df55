// `swarmdrop pair HOST[:PORT]` and `swarmdrop unpair ID`: machines added by address, for those
// mDNS cannot find (another subnet, behind a router). The device dials the address at once, pins the
// key it answers with, and keeps dialling it (also after restarts) until it is unpaired.
import type { CommandReplies } from '../../../../common/api.js'
import { parseHostPort } from '../../../../common/commands.js'
import type { PairedListing } from '../../../../common/cli-json.js'
import { isDeviceId } from '../../../../common/device-id.js'
import { pairedListing, pairedOffline } from '../../../core/app/pairing-commands.js'
import { pad } from '../format.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { dataDirOf, openSession, runningAgent } from '../session.js'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js'

export const pairUsage: CommandUsage = {
  name: 'pair',
  synopsis: 'HOST[:PORT] | --list',
  positionals: ['HOST[:PORT]'],
  summary: 'Adds a machine by address (one mDNS cannot find, e.g. on another subnet); it is remembered and dialled again.',
  details: 'PORT is its control port (default 47620). Its device key is pinned at this first contact: if the address later answers with another key, it is refused. Without a running agent, a device is started for the command (the machine then learns this one when the agent pairs again, or pairs back). --list shows the machines added by address (and those that paired with this one), online or not.',
  flags: [DATA_DIR_FLAG, JSON_FLAG, { name: 'list', type: 'boolean', meaning: 'list the machines added by address instead of adding one' }],
  examples: ['swarmdrop pair 10.1.2.30', 'swarmdrop pair build-07.site-b.example:47620 --json', 'swarmdrop pair --list']
}

export const unpairUsage: CommandUsage = {
  name: 'unpair',
  synopsis: 'ID',
  positionals: ['ID'],
  summary: 'Forgets a machine added by address: it is no longer dialled or listed.',
  details: 'ID is its device id (32 hex digits) or a prefix naming one machine added by address (see swarmdrop peers --json, "pairedAddress").',
  flags: [DATA_DIR_FLAG, JSON_FLAG],
  examples: ['swarmdrop unpair 9f3ac21e']
}

/** From the running device's machines list, or (none running) from paired-devices.json itself. */
async function listPaired (dataDir: string): Promise<PairedListing[]> {
  const agent = await runningAgent(dataDir)
  if (agent) {
    const state = await agent.state()
    if (!state.ok) throw new UsageError(`pair: ${state.error.message}`)
    return pairedListing(state.value.machines)
  }
  const stored = await pairedOffline(dataDir)
  if (!stored.ok) throw new UsageError(`pair: ${stored.error.message}`)
  return stored.value
}

export async function pairCommand (args: readonly string[]): Promise<number> {
  const p = parse(pairUsage, args)
  if (flag(p, 'list')) {
    if (p.positionals.length > 0) throw new UsageError('pair: give an address or --list, not both')
    const listed = await listPaired(dataDirOf(str(p, 'data-dir')))
    if (flag(p, 'json')) process.stdout.write(jsonLine(listed))
    else if (listed.length === 0) process.stdout.write('No machines added by address. Add one with: swarmdrop pair HOST[:PORT]\n')
    else {
      for (const x of listed) {
        const state = x.online === null ? 'no agent running' : x.online ? 'online' : `offline${x.problem === undefined ? '' : `: ${x.problem}`}`
        process.stdout.write(`${pad(terminalText(x.name), 20)} ${x.fingerprint}  ${pad(terminalText(x.pairedAddress), 22)} ${terminalText(state)}\n`)
      }
    }
    return EXIT_OK
  }
  const given = p.positionals[0]
  if (given === undefined) throw new UsageError('pair: which address? (swarmdrop pair HOST[:PORT])')
  const address = parseHostPort(given)
  if (!address.ok) throw new UsageError(`pair: ${address.error.message}`)
  const session = await openSession(dataDirOf(str(p, 'data-dir')), {})
  try {
    const { host, port } = address.value
    const r = await session.client.run(port === undefined ? { type: 'pair', host } : { type: 'pair', host, port })
    if (!r.ok) {
      if (flag(p, 'json')) process.stdout.write(jsonLine({ ok: false, error: r.error }))
      process.stderr.write(`swarmdrop: pair: ${terminalText(r.error.message)}\n`)
      return EXIT_FAILED
    }
    const x: CommandReplies['pair'] = r.value
    if (flag(p, 'json')) process.stdout.write(jsonLine(x))
    else process.stdout.write(`${x.added ? 'paired' : 'already paired'}: ${terminalText(x.name)} ${x.fingerprint} at ${terminalText(x.pairedAddress)} (${x.address}); its key is pinned\n`)
    return EXIT_OK
  } finally {
    await session.close()
  }
}

export async function unpairCommand (args: readonly string[]): Promise<number> {
  const p = parse(unpairUsage, args)
  const given = p.positionals[0]
  if (given === undefined) throw new UsageError('unpair: which machine? (swarmdrop unpair ID)')
  const session = await openSession(dataDirOf(str(p, 'data-dir')), {})
  try {
    let id = given.toLowerCase().replace(/[·-]/g, '')
    if (!isDeviceId(id)) {
      // A prefix is enough when it names exactly one machine added by address.
      const state = await session.client.state()
      if (!state.ok) throw new UsageError(`unpair: ${state.error.message}`)
      const matches = state.value.machines.filter(m => m.pairedAddress !== undefined && m.id.startsWith(id))
      if (matches.length !== 1 || matches[0] === undefined) throw new UsageError(`unpair: "${given}" names ${matches.length === 0 ? 'no' : 'more than one'} machine added by address (give its device id)`)
      id = matches[0].id
    }
    const r = await session.client.run({ type: 'unpair', id })
    if (!r.ok) {
      if (flag(p, 'json')) process.stdout.write(jsonLine({ ok: false, error: r.error }))
      process.stderr.write(`swarmdrop: unpair: ${terminalText(r.error.message)}\n`)
      return EXIT_FAILED
    }
    if (flag(p, 'json')) process.stdout.write(jsonLine({ id }))
    else process.stdout.write(`unpaired: ${id}\n`)
    return EXIT_OK
  } finally {
    await session.close()
  }
}
