// `swarmdrop report`: who received what, from this device's history, with each machine's signed
// receipt; `--verify FILE` checks an exported report's receipts offline; `--prune-before DATE`
// forgets old entries. Asks the running agent when there is one, else reads the data directory.
import { readFile } from 'node:fs/promises'
import type { DistributionReport, FleetReport } from '../../../../common/api.js'
import { reportCsv } from '../../../../common/report-csv.js'
import type { Result } from '../../../../common/result.js'
import { formatBytes } from '../../../../common/units.js'
import { shortFingerprint } from '../../../../common/device-id.js'
import { pruneStored, storedReport } from '../../../core/app/stored-report.js'
import { verifyReport, type MachineVerdict } from '../../../core/app/verify-report.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, type CommandUsage } from '../command-usage.js'
import { pad, plural } from '../format.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js'

export const reportUsage: CommandUsage = {
  name: 'report',
  synopsis: '[INFOHASH]',
  positionals: ['INFOHASH'],
  summary: 'Who received what: per distribution and machine, state, times, bytes, bad pieces and signed receipt.',
  details: `Without INFOHASH, every distribution in this device's history (--since: only those touched since).
Each verified machine's receipt is signed with its own device key: --json writes a report that
anyone can check later with --verify, without trusting this device.
Without an agent running, reads the data directory's history.`,
  flags: [
    DATA_DIR_FLAG,
    { name: 'since', type: 'string', value: 'DATE', meaning: 'only distributions touched at or after DATE (2026-12-01, or an ISO time)' },
    { name: 'json', type: 'boolean', meaning: 'print the report as JSON (common/api.ts FleetReport): the file --verify checks' },
    { name: 'csv', type: 'boolean', meaning: 'print CSV: a header, then one row per machine of each distribution' },
    { name: 'verify', type: 'string', value: 'FILE', meaning: 'check every receipt of a report written by --json; exit 1 if any is bad' },
    { name: 'prune-before', type: 'string', value: 'DATE', meaning: 'forget the distributions last touched before DATE' }
  ],
  examples: [
    'swarmdrop report',
    'swarmdrop report --since 2026-12-01 --json > report.json',
    'swarmdrop report --verify report.json',
    'swarmdrop report --csv > report.csv',
    'swarmdrop report --prune-before 2026-01-01'
  ]
}

/** An ISO time from a date a person typed (a date alone is its UTC midnight). */
function timeArg (value: string, option: string): string {
  const ms = Date.parse(value)
  if (!Number.isFinite(ms)) throw new UsageError(`${option} needs a date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z, not "${value}"`)
  return new Date(ms).toISOString()
}

function verdictLine (v: MachineVerdict): string {
  const who = `${terminalText(v.machineName)} (${v.machineId.length === 32 ? shortFingerprint(v.machineId) : terminalText(v.machineId)})`
  return `${pad(v.verdict, 4)} ${pad(who, 30)} ${pad(terminalText(v.distribution), 24)} ${terminalText(v.reason)}`
}

async function verifyFile (path: string, json: boolean): Promise<number> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new UsageError(`report --verify: cannot read ${path} as JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const checked = verifyReport(raw)
  if (!checked.ok) throw new UsageError(`report --verify: ${path}: ${checked.error.message}`)
  const verdicts = checked.value
  const bad = verdicts.filter(v => v.verdict === 'bad').length
  if (json) {
    process.stdout.write(jsonLine({ ok: bad === 0, machines: verdicts }))
  } else {
    for (const v of verdicts) process.stdout.write(`${verdictLine(v)}\n`)
    const good = verdicts.filter(v => v.verdict === 'ok').length
    process.stdout.write(`${plural(good, 'receipt')} ok, ${bad} bad${verdicts.length > good + bad ? `, ${plural(verdicts.length - good - bad, 'machine')} without a receipt` : ''}\n`)
  }
  return bad === 0 ? EXIT_OK : EXIT_FAILED
}

function distributionText (d: DistributionReport): string {
  const what = d.isFolder === true && d.fileCount !== null ? `  folder of ${plural(d.fileCount, 'file')}` : ''
  const head = `${terminalText(d.name)}  ${formatBytes(d.totalLength)}${what}  ${d.infoHash}\n  SHA-256 ${d.sha256}\n` +
    `  ${d.role === 'origin' ? 'sent from this device' : `received from ${terminalText(d.origin.name)} (${shortFingerprint(d.origin.id)})`}, created ${d.createdAt}` +
    `${d.sentAt !== null ? `, ${d.role === 'origin' ? 'sent' : 'accepted'} ${d.sentAt}` : ''}` +
    `${d.originUploadedBytes !== null ? `, origin uploaded ${formatBytes(d.originUploadedBytes)}` : ''}\n`
  const rows = d.machines.map(m => `    ${pad(terminalText(m.name), 20)} ${shortFingerprint(m.id)}  ${pad(m.state, 11)} ` +
    `accepted ${pad(m.acceptedAt ?? '-', 24)} verified ${pad(m.verifiedAt ?? '-', 24)} ${pad(formatBytes(m.bytes), 9)} ` +
    `${plural(m.badPieces, 'bad piece')}  ${m.receipt !== null ? 'signed receipt' : 'no receipt'}${m.reason !== undefined ? `  (${terminalText(m.reason)})` : ''}`)
  return head + (rows.length === 0 ? '    (not sent to any machine)\n' : rows.map(r => `${r}\n`).join(''))
}

/**
 * Nothing to report, and where that was read: with no agent running it is a data folder that may
 * not be the one a service uses (its own, `--data-dir /var/lib/swarmdrop`).
 */
export function emptyHistoryText (dataDir: string, agentRunning: boolean): string {
  return agentRunning
    ? 'Nothing in the history yet. Distributions appear here once sent or received.\n'
    : `Nothing in the history of ${terminalText(dataDir)} (no agent runs for it). Distributions appear here once sent or received; a service keeps its own data folder (--data-dir).\n`
}

export async function reportCommand (args: readonly string[]): Promise<number> {
  const p = parse(reportUsage, args)
  const json = flag(p, 'json')
  const csv = flag(p, 'csv')
  if (json && csv) throw new UsageError('report: choose --json or --csv, not both')
  const verify = str(p, 'verify')
  if (verify !== undefined) return verifyFile(verify, json)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const agent = await runningAgent(dataDir)
  const pruneBefore = str(p, 'prune-before')
  if (pruneBefore !== undefined) {
    const before = timeArg(pruneBefore, '--prune-before')
    const pruned = agent ? await agent.run({ type: 'prune-history', before }) : await pruneStored(dataDir, before)
    if (!pruned.ok) throw new UsageError(`report: ${pruned.error.message}`)
    process.stdout.write(json ? jsonLine(pruned.value) : `forgot ${plural(pruned.value.removed, 'distribution')} last touched before ${before}; ${pruned.value.kept} kept\n`)
    return EXIT_OK
  }
  const infoHash = p.positionals[0]?.toLowerCase()
  if (infoHash !== undefined && !/^[0-9a-f]{40}$/.test(infoHash)) throw new UsageError(`report: "${terminalText(infoHash)}" is not an infohash (40 hex digits)`)
  const sinceArg = str(p, 'since')
  const filter = { ...(infoHash !== undefined ? { infoHash } : {}), ...(sinceArg !== undefined ? { since: timeArg(sinceArg, '--since') } : {}) }
  const report: Result<FleetReport> = agent ? await agent.run({ type: 'report', ...filter }) : await storedReport(dataDir, filter)
  if (!report.ok) throw new UsageError(`report: ${report.error.message}`)
  if (json) process.stdout.write(jsonLine(report.value))
  else if (csv) process.stdout.write(reportCsv(report.value))
  else if (report.value.distributions.length === 0) process.stdout.write(emptyHistoryText(dataDir, agent !== undefined))
  else process.stdout.write(report.value.distributions.map(distributionText).join('\n'))
  return EXIT_OK
}
