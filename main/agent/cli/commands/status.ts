// `swarmdrop status`: the distributions of this device, each with a row per machine (state,
// progress, rate, ETA) as the app's machine table shows it, live from its agent when one runs,
// otherwise as the data directory remembers them.
import type { ApiResult, Distribution } from '../../../../common/api.js'
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
Without an agent running, shows what the data folder remembers.`,
  flags: [
    DATA_DIR_FLAG,
    { name: 'json', type: 'boolean', meaning: 'print {agentRunning, distributions}: each a Distribution of common/api.ts (members are the machine rows), piece maps in base64' }
  ],
  examples: ['swarmdrop status', 'swarmdrop status --json']
}

function headline (d: Distribution): string {
  // Live figures exist only while the engine runs it (connections present).
  const live = d.connections !== undefined
  const own = d.members.find(m => m.self)
  const t = d.totals
  const pieces = live && own ? `${formatCount(own.verifiedPieces)}/${plural(d.pieceCount, 'piece')}` : plural(d.pieceCount, 'piece')
  const rates = live
    ? `↓ ${formatRate(d.downloadRate)} ↑ ${formatRate(d.uploadRate)} ${plural(t.peersConnected, 'peer')}` +
      `${t.hashFailures ? `, ${plural(t.hashFailures, 'bad piece')}` : ''}${t.bannedPeers ? `, ${plural(t.bannedPeers, 'peer')} banned` : ''}`
    : ''
  return `${pad(terminalText(d.name), 28)} ${pad(d.role, 9)} ${pad(d.state, 11)} ${pad(formatBytes(d.totalLength), 9)} ${pad(pieces, 22)} ${rates}${d.reason ? `  (${terminalText(d.reason)})` : ''}`.trimEnd()
}

/** "1 of 2 recipients verified, 1 lost contact": what the rows add up to. */
function totalsLine (d: Distribution): string {
  const t = d.totals
  if (t.recipients === 0) return 'not sent to any machine yet'
  const more = [
    ...(t.lostRecipients > 0 ? [`${formatCount(t.lostRecipients)} lost contact`] : []),
    ...(t.refusedRecipients > 0 ? [`${formatCount(t.refusedRecipients)} will not get it (declined, failed or unreachable)`] : [])
  ]
  return `${formatCount(t.verifiedRecipients)} of ${plural(t.recipients, 'recipient')} verified${more.length > 0 ? `, ${more.join(', ')}` : ''}`
}

export async function statusCommand (args: readonly string[]): Promise<number> {
  const p = parse(statusUsage, args)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  let shown: ApiResult<readonly Distribution[]>
  if (agent) {
    const s = await agent.state()
    shown = s.ok ? ok(s.value.distributions) : s
  } else {
    shown = await rememberedDistributions(dataDir)
  }
  if (!shown.ok) throw new UsageError(shown.error.message)
  const views = shown.value
  if (flag(p, 'json')) {
    // The contract's JSON form: piece maps as base64 (common/wire.ts), as the web UI receives them.
    const report: StatusReport = { agentRunning: agent !== undefined, distributions: views.map(encodeDistribution) }
    process.stdout.write(jsonLine(report))
    return EXIT_OK
  }
  if (!agent) process.stdout.write('(no agent running: showing what the data directory remembers)\n')
  if (views.length === 0) process.stdout.write('No distributions yet. Send one with: swarmdrop send PATH --to NAME\n')
  const now = Date.now()
  for (const d of views) {
    process.stdout.write(`${headline(d)}\n  ${totalsLine(d)}\n`)
    const width = Math.min(32, Math.max(8, ...d.members.map(m => memberName(m).length)))
    for (const m of d.members) process.stdout.write(`    ${memberLine(m, d.totalLength, width, now)}\n`)
  }
  return EXIT_OK
}
