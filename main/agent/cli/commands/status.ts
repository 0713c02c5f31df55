// `swarmdrop status`: the distributions of this device, each with a row per machine (state,
// progress, rate, ETA) as the app's machine table shows it, live from its agent when one runs,
// otherwise as the data directory remembers them.
import type { ApiResult, Distribution, DistributionState, IdentityClash, MemberRow, MemberState } from '../../../../common/api.js'
import { channelBatches, isArriving, type ChannelBatches } from '../../../../common/channel-batches.js'
import type { StatusReport } from '../../../../common/cli-json.js'
import { ok } from '../../../../common/result.js'
import { encodeDistribution } from '../../../../common/wire.js'
import { rememberedDistributions } from '../../../core/app/remembered.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, type CommandUsage } from '../command-usage.js'
import { formatBytes, formatRate } from '../../../../common/units.js'
import { formatCount, pad, plural } from '../format.js'
import { memberLine, memberName } from '../member-line.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'

export const statusUsage: CommandUsage = {
  name: 'status',
  synopsis: '',
  positionals: [],
  summary: "Shows this device's distributions: progress, verified pieces, rates, and a row per machine.",
  details: `Each machine's row gives its state, how much it holds, its rate and ETA, as the app shows it.
A watched folder's batches are listed under one heading: the batch still arriving in full, the rest counted.
Without an agent running, shows what the data folder remembers.`,
  flags: [
    DATA_DIR_FLAG,
    { name: 'json', type: 'boolean', meaning: 'print {agentRunning, distributions}: each a Distribution of common/api.ts (members are the machine rows), piece maps in base64' }
  ],
  examples: ['swarmdrop status', 'swarmdrop status --json']
}

/** A distribution's state in the window's words (renderer/src/format/labels.ts): "out of space", not "no-space". */
const DISTRIBUTION_WORDS: Readonly<Record<DistributionState, string>> = {
  seeding: 'seeding',
  downloading: 'downloading',
  verifying: 'verifying',
  verified: 'verified',
  failed: 'failed',
  paused: 'paused',
  stale: 'stale',
  'no-space': 'out of space'
}

function headline (d: Distribution, name = terminalText(d.name)): string {
  // Live figures exist only while the engine runs it (connections present).
  const live = d.connections !== undefined
  const own = d.members.find(m => m.self)
  const t = d.totals
  const pieces = live && own ? `${formatCount(own.verifiedPieces)}/${plural(d.pieceCount, 'piece')}` : plural(d.pieceCount, 'piece')
  const rates = live
    ? `↓ ${formatRate(d.downloadRate)} ↑ ${formatRate(d.uploadRate)} ${plural(t.peersConnected, 'peer')}` +
      `${t.hashFailures ? `, ${plural(t.hashFailures, 'bad piece')}` : ''}${t.bannedPeers ? `, ${plural(t.bannedPeers, 'peer')} banned` : ''}`
    : ''
  return `${pad(name, 28)} ${pad(d.role, 9)} ${pad(DISTRIBUTION_WORDS[d.state], 12)} ${pad(formatBytes(d.totalLength), 9)} ${pad(pieces, 22)} ${rates}${d.reason ? `  (${terminalText(d.reason)})` : ''}`.trimEnd()
}

/** States in which a recipient will not get it this time, other than declining (as the window counts them). */
const NOT_GETTING_IT: readonly MemberState[] = ['failed', 'timeout', 'unreachable']

/**
 * "1 of 2 recipients verified, 1 out of space, waiting, 1 lost contact": what the rows add up to,
 * in the words and order of the window's figures (declined and failed counted apart).
 */
export function totalsLine (d: Distribution): string {
  const t = d.totals
  if (t.recipients === 0) return 'not sent to any machine yet'
  const others = d.members.filter(m => !m.self)
  const count = (match: (m: MemberRow) => boolean): number => others.filter(match).length
  const declined = count(m => m.state === 'declined')
  const failed = count(m => NOT_GETTING_IT.includes(m.state))
  const noSpace = count(m => m.state === 'no-space')
  const lost = count(m => m.state === 'lost')
  const waiting = count(m => m.state === 'waiting')
  const more = [
    ...(failed > 0 ? [`${formatCount(failed)} failed`] : []),
    ...(declined > 0 ? [`${formatCount(declined)} declined`] : []),
    ...(noSpace > 0 ? [`${formatCount(noSpace)} out of space, waiting`] : []),
    ...(lost > 0 ? [`${formatCount(lost)} lost contact`] : []),
    ...(waiting > 0 ? [`${formatCount(waiting)} offline, to get it when back`] : [])
  ]
  return `${formatCount(t.verifiedRecipients)} of ${plural(t.recipients, 'recipient')} verified${more.length > 0 ? `, ${more.join(', ')}` : ''}`
}

export async function statusCommand (args: readonly string[]): Promise<number> {
  const p = parse(statusUsage, args)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  let shown: ApiResult<readonly Distribution[]>
  let clash: IdentityClash | undefined
  if (agent) {
    const s = await agent.state()
    shown = s.ok ? ok(s.value.distributions) : s
    clash = s.ok ? s.value.self.identityClash : undefined
  } else {
    shown = await rememberedDistributions(dataDir)
  }
  if (!shown.ok) throw new UsageError(shown.error.message)
  const views = shown.value
  if (flag(p, 'json')) {
    // The contract's JSON form: piece maps as base64 (common/wire.ts), as the web UI receives them.
    const report: StatusReport = { agentRunning: agent !== undefined, distributions: views.map(encodeDistribution), ...(clash !== undefined ? { identityClash: clash } : {}) }
    process.stdout.write(jsonLine(report))
    return EXIT_OK
  }
  // Named: a service keeps its own folder, and an empty list from the wrong one reads as the truth.
  if (!agent) process.stdout.write(`(no agent runs for ${terminalText(dataDir)}: showing what that data directory remembers)\n`)
  // First: while it lasts, other machines cannot send to this device at all.
  if (clash !== undefined) process.stdout.write(`warning: ${terminalText(clash.message)}\n\n`)
  if (views.length === 0) process.stdout.write('No distributions yet. Send one with: swarmdrop send PATH --to NAME\n')
  process.stdout.write(statusText(views, Date.now()))
  return EXIT_OK
}

function distributionBlock (d: Distribution, now: number, indent: string, name?: string): string {
  const width = Math.min(32, Math.max(8, ...d.members.map(m => memberName(m).length)))
  return `${indent}${headline(d, name)}\n${indent}  ${totalsLine(d)}\n` +
    d.members.map(m => `${indent}    ${memberLine(m, d.totalLength, width, now)}\n`).join('')
}

/**
 * A watched folder's batches under one heading: the batch it stands for (the newest arriving, else
 * the newest) in full, the others still arriving or failed by their headline, the rest counted.
 */
function channelBlock (c: ChannelBatches, now: number): string {
  const from = c.role === 'origin' ? 'sent from here' : `from ${terminalText(c.sender)}`
  const arriving = c.arriving > 0 ? `, ${formatCount(c.arriving)} arriving` : ''
  const heading = `${terminalText(c.name)}/  channel ${from}: ${plural(c.batches.length, 'batch', 'batches')}${arriving}, ${formatBytes(c.bytes)}\n`
  // Batches are numbered 1, 2, 3… from the oldest: they all carry the channel's name.
  const label = (d: Distribution): string => `batch ${formatCount(c.batches.length - c.batches.indexOf(d))}`
  const open = c.batches.filter(d => d !== c.shown && (isArriving(d) || d.state === 'failed' || d.state === 'stale'))
  const rest = c.batches.length - 1 - open.length
  return heading + distributionBlock(c.shown, now, '  ', label(c.shown)) +
    open.map(d => `  ${headline(d, label(d))}\n`).join('') +
    (rest > 0 ? `  … and ${plural(rest, 'earlier batch', 'earlier batches')}, done\n` : '')
}

/** The text `swarmdrop status` prints for these distributions, a channel's batches as one block. */
export function statusText (views: readonly Distribution[], now: number): string {
  // Each channel is printed where its first batch is listed.
  const channelOf = new Map<Distribution, ChannelBatches>()
  for (const c of channelBatches(views)) for (const d of c.batches) channelOf.set(d, c)
  const printed = new Set<ChannelBatches>()
  let out = ''
  for (const d of views) {
    const c = channelOf.get(d)
    if (c === undefined) out += distributionBlock(d, now, '')
    else if (!printed.has(c)) {
      printed.add(c)
      out += channelBlock(c, now)
    }
  }
  return out
}
