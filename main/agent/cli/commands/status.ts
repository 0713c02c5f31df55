// `swarmdrop status`: the distributions of this device, each with a row per machine (state,
// progress, rate, ETA) as the app's machine table shows it, live from its agent when one runs,
// otherwise as the data directory remembers them.
import { distributionView } from '../../../core/app/distribution-view.js'
import { DistributionRegistry } from '../../../core/distributions/registry.js'
import { loadOrCreateIdentity } from '../../../core/identity/identity.js'
import { loadSettings } from '../../../core/settings/settings.js'
import type { LocalDistribution } from '../../local-status.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, type CommandUsage } from '../command-usage.js'
import { formatBytes, formatRate } from '../../../../common/units.js'
import { formatCount, pad, plural } from '../format.js'
import { memberLine, memberName } from '../member-line.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_OK, UsageError } from '../usage-error.js'

export const statusUsage: CommandUsage = {
  name: 'status',
  synopsis: '',
  positionals: [],
  summary: "Shows this device's distributions: progress, verified pieces, rates, and a row per machine.",
  details: `Each machine's row gives its state, how much it holds, its rate and ETA, as the app shows it.
Without an agent running, shows what the data folder remembers.`,
  flags: [
    DATA_DIR_FLAG,
    { name: 'json', type: 'boolean', meaning: 'print {agentRunning, distributions: [{record, transfer, members, totals}]}; members are the machine rows (MemberRow)' }
  ],
  examples: ['swarmdrop status', 'swarmdrop status --json']
}

/** The distributions as the data directory remembers them, through the same view the app uses. */
async function remembered (dataDir: string): Promise<LocalDistribution[]> {
  const reg = await DistributionRegistry.load(dataDir)
  if (!reg.ok) throw new UsageError(reg.error.message)
  const records = reg.value.list()
  // A data directory with distributions has a device key: nothing is created here.
  if (records.length === 0) return []
  const [identity, settings] = await Promise.all([loadOrCreateIdentity(dataDir), loadSettings(dataDir)])
  if (!identity.ok) throw new UsageError(identity.error.message)
  if (!settings.ok) throw new UsageError(settings.error.message)
  const self = { id: identity.value.id, name: settings.value.name }
  return records.map(record => {
    const view = distributionView({ record, self, transfer: undefined, ownBits: undefined, peerBits: [], inFlight: new Set(), failed: new Set(), banned: new Set(), paused: false })
    return { record, members: view.members, totals: view.totals }
  }).sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt))
}

function headline (d: LocalDistribution): string {
  const { record: r, transfer: t } = d
  const pieces = t ? `${formatCount(t.verifiedPieces)}/${plural(t.pieceCount, 'piece')}` : plural(r.pieceCount, 'piece')
  const rates = t
    ? `↓ ${formatRate(t.downloadSpeed)} ↑ ${formatRate(t.uploadSpeed)} ${plural(t.peers.length, 'peer')}` +
      `${t.hashFailures ? `, ${plural(t.hashFailures, 'bad piece')}` : ''}${t.bannedPeers.length ? `, banned ${terminalText(t.bannedPeers.join(' '))}` : ''}`
    : ''
  return `${pad(terminalText(r.name), 28)} ${pad(r.role, 9)} ${pad(r.state, 11)} ${pad(formatBytes(r.totalLength), 9)} ${pad(pieces, 22)} ${rates}${r.reason ? `  (${terminalText(r.reason)})` : ''}`.trimEnd()
}

/** "1 of 2 recipients verified, 1 lost contact": what the rows add up to. */
function totalsLine (d: LocalDistribution): string {
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
  let views: readonly LocalDistribution[]
  if (agent) {
    const s = await agent.status()
    if (!s.ok) throw new UsageError(s.error.message)
    views = s.value.distributions
  } else {
    views = await remembered(dataDir)
  }
  if (flag(p, 'json')) {
    process.stdout.write(jsonLine({ agentRunning: agent !== undefined, distributions: views }))
    return EXIT_OK
  }
  if (!agent) process.stdout.write('(no agent running: showing what the data directory remembers)\n')
  if (views.length === 0) process.stdout.write('No distributions yet. Send one with: swarmdrop send PATH --to NAME\n')
  const now = Date.now()
  for (const d of views) {
    process.stdout.write(`${headline(d)}\n  ${totalsLine(d)}\n`)
    const width = Math.min(32, Math.max(8, ...d.members.map(m => memberName(m).length)))
    for (const m of d.members) process.stdout.write(`    ${memberLine(m, d.record.totalLength, width, now)}\n`)
  }
  return EXIT_OK
}
