// `swarmdrop status`: the distributions of this device, live from its agent when one runs,
// otherwise as the data directory remembers them.
import { DistributionRegistry } from '../../../core/distributions/registry.js'
import type { DistributionView } from '../../../core/node/swarm-node.js'
import { flag, parse, str } from '../args.js'
import { formatBytes, formatRate, pad } from '../format.js'
import { dataDirOf, runningAgent } from '../session.js'
import { EXIT_OK, UsageError } from '../usage-error.js'

export const statusHelp = 'swarmdrop status [--json] [--data-dir DIR]      distributions of this device, with progress, rates and peers'

export async function statusCommand (args: readonly string[]): Promise<number> {
  const p = parse('status', args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } })
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  let views: readonly DistributionView[]
  let running = false
  if (agent) {
    const s = await agent.status()
    if (!s.ok) throw new UsageError(s.error.message)
    views = s.value.distributions
    running = true
  } else {
    const reg = await DistributionRegistry.load(dataDir)
    if (!reg.ok) throw new UsageError(reg.error.message)
    views = reg.value.list().map(record => ({ record }))
  }
  if (flag(p, 'json')) {
    process.stdout.write(JSON.stringify({ agentRunning: running, distributions: views }) + '\n')
    return EXIT_OK
  }
  if (!running) process.stdout.write('(no agent running: showing what the data directory remembers)\n')
  if (views.length === 0) process.stdout.write('No distributions yet. Send one with: swarmdrop send PATH --to NAME\n')
  for (const { record: r, transfer: t } of views) {
    const pieces = t ? `${t.verifiedPieces}/${t.pieceCount} pieces` : `${r.pieceCount} pieces`
    const rates = t ? `↓ ${formatRate(t.downloadSpeed)} ↑ ${formatRate(t.uploadSpeed)} ${t.peers.length} peers${t.hashFailures ? `, ${t.hashFailures} bad pieces` : ''}${t.bannedPeers.length ? `, banned ${t.bannedPeers.join(' ')}` : ''}` : ''
    process.stdout.write(`${pad(r.name, 28)} ${pad(r.role, 9)} ${pad(r.state, 11)} ${pad(formatBytes(r.totalLength), 9)} ${pad(pieces, 20)} ${rates}${r.reason ? `  (${r.reason})` : ''}\n`)
    if (r.role === 'origin') for (const x of r.recipients) process.stdout.write(`    → ${pad(x.name, 20)} ${pad(x.state, 12)} ${((x.verifiedBytes / r.totalLength) * 100).toFixed(0)}%${x.reason ? `  (${x.reason})` : ''}\n`)
  }
  return EXIT_OK
}
