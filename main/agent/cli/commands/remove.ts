// `swarmdrop remove NAME|INFOHASH`: takes a distribution off this device through its running agent:
// withdrawn where it was sent from, cancelled where it is still arriving, removed from the list
// where it is verified (its files kept unless --delete-files).
import type { Distribution, RemoveReply } from '../../../../common/api.js'
import { formatBytes } from '../../../../common/units.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'
import { plural } from '../format.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'

export const removeUsage: CommandUsage = {
  name: 'remove',
  synopsis: 'NAME|INFOHASH',
  positionals: ['NAME|INFOHASH'],
  summary: 'Takes a distribution off this device: withdraws one sent from here, cancels one arriving, or forgets a verified copy.',
  flags: [
    { name: 'delete-files', type: 'boolean', meaning: 'a verified copy: also delete its files (only those it wrote)' },
    DATA_DIR_FLAG,
    JSON_FLAG
  ],
  examples: ['swarmdrop remove ubuntu.iso', 'swarmdrop remove 9f3ac21e --delete-files']
}

/** An infohash prefix a person may type: at least 6 hex digits (fewer would match by accident). */
const PREFIX = /^[0-9a-f]{6,40}$/

/** The distributions `query` names: by exact name (case-insensitive), or by infohash prefix. */
export function matchDistributions (distributions: readonly Distribution[], query: string): Distribution[] {
  const name = query.toLowerCase()
  const prefix = PREFIX.test(name) ? name : undefined
  return distributions.filter(d => d.name.toLowerCase() === name || (prefix !== undefined && d.infoHash.startsWith(prefix)))
}

/** What a person reads after a remove: one or two sentences. */
export function removedText (r: RemoveReply, path: string): string {
  const name = terminalText(r.name)
  switch (r.outcome) {
    case 'withdrawn': return `Withdrew ${name}: ${plural(r.told, 'machine')} told to stop${r.unreached > 0 ? `; ${plural(r.unreached, 'machine')} not reached now ${r.unreached === 1 ? 'stops' : 'stop'} when ${r.unreached === 1 ? 'it reports' : 'they report'} again` : ''}.\n`
    case 'cancelled': return `Cancelled ${name} here: ${formatBytes(r.deletedBytes)} received were deleted; ${r.told > 0 ? 'the sender was told' : 'the sender could not be told now (it is tried again for about 30 s)'}.\n`
    case 'removed': return r.deletedBytes > 0 || path === ''
      ? `Removed ${name} from this device and deleted its files (${formatBytes(r.deletedBytes)}).\n`
      : `Removed ${name} from this device's list; its files stay in ${terminalText(path)}.\n`
  }
}

export async function removeCommand (args: readonly string[]): Promise<number> {
  const p = parse(removeUsage, args)
  const query = p.positionals[0]
  if (query === undefined || query === '') throw new UsageError('remove: which distribution? give its name or an infohash prefix (swarmdrop status lists them)')
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError('remove: no agent is running for this data directory (start one with swarmdrop agent)')
  const s = await agent.state()
  if (!s.ok) throw new UsageError(`remove: ${s.error.message}`)
  const found = matchDistributions(s.value.distributions, query)
  const only = found[0]
  if (only === undefined) throw new UsageError(`remove: no distribution here is named ${terminalText(JSON.stringify(query))} or has an infohash starting so (swarmdrop status lists them)`)
  if (found.length > 1) {
    const listed = found.map(d => `${terminalText(d.name)} (${d.infoHash.slice(0, 12)}, ${d.role === 'origin' ? 'sent from here' : 'received'})`).join(', ')
    throw new UsageError(`remove: ${terminalText(JSON.stringify(query))} matches ${found.length} distributions: ${listed}; give more of the infohash`)
  }
  const deleteFiles = flag(p, 'delete-files')
  const r = await agent.run({ type: 'remove', infoHash: only.infoHash, ...(deleteFiles ? { deleteFiles: true } : {}) })
  if (!r.ok) throw new UsageError(`remove: ${r.error.message}`)
  process.stdout.write(flag(p, 'json') ? jsonLine(r.value) : removedText(r.value, deleteFiles ? '' : only.path))
  return EXIT_OK
}
