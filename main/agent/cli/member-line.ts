// A machine of a distribution (a MemberRow, as the app's machine table has it) in words for the
// terminal: its state, how far it is, its rate and ETA. `status` and `send --wait` print these.
import type { MemberRow, MemberState } from '../../../common/api.js'
import { formatRate } from '../../../common/units.js'
import { bar, formatDuration, formatEta, pad } from './format.js'
import { terminalText } from './terminal-text.js'

const LABEL: Record<MemberState, string> = {
  offering: 'offering',
  pending: 'waiting for answer',
  accepted: 'accepted',
  declined: 'declined',
  downloading: 'receiving',
  verifying: 'verifying',
  verified: '✓ verified',
  failed: 'failed',
  paused: 'paused',
  unreachable: 'unreachable',
  timeout: 'no answer',
  'no-space': 'out of space',
  lost: 'lost contact',
  unknown: 'unknown',
  waiting: 'waiting for it to come back'
}

export function stateLabel (state: MemberState): string {
  return LABEL[state]
}

/** "lost contact 0:35 ago" from the row's lostSince, at `now`. */
function lostFor (row: MemberRow, now: number): string {
  const since = row.lostSince === undefined ? NaN : Date.parse(row.lostSince)
  return Number.isFinite(since) ? `lost contact ${formatDuration(Math.max(0, now - since) / 1000)} ago` : 'lost contact'
}

/** "✓ verified · offline 0:12": a verified copy whose machine is away (it seeds no more). */
function offlineFor (since: string, now: number): string {
  const t = Date.parse(since)
  return Number.isFinite(t) ? `✓ verified · offline ${formatDuration(Math.max(0, now - t) / 1000)}` : '✓ verified · offline'
}

/** The state in words, with what it means where the word alone would not say it. */
export function stateText (row: MemberRow, now: number = Date.now()): string {
  if (row.state === 'verified' && row.offlineSince !== undefined) return offlineFor(row.offlineSince, now)
  if (row.state === 'verified' && row.alreadyHad === true) return '✓ verified (already had it)'
  if (row.state === 'lost') return `${lostFor(row, now)}, resumes when it returns`
  if (row.state === 'waiting') return 'offline: gets it when it comes back'
  if (row.waitsForSource === true && (row.state === 'downloading' || row.state === 'accepted')) return `${stateLabel(row.state)}, the rest is on a machine that is away`
  return stateLabel(row.state)
}

/** What it holds, as a fraction of the file; undefined when this device does not know. */
function heldFraction (row: MemberRow, totalLength: number): number | undefined {
  if (row.state === 'unknown') return undefined
  if (row.verified) return 1
  return totalLength > 0 ? row.verifiedBytes / totalLength : 0
}

/** Its name for a terminal, with what it is to this device. */
export function memberName (row: MemberRow): string {
  return `${terminalText(row.name)}${row.self ? ' (this machine)' : row.origin ? ' (origin)' : ''}`
}

/** One line: name, bar, percent, state, then the rate while receiving and the ETA while it has one. */
export function memberLine (row: MemberRow, totalLength: number, nameWidth: number, now: number = Date.now()): string {
  const f = heldFraction(row, totalLength)
  const percent = f === undefined ? '?' : `${Math.floor(f * 100)}%`
  const rate = row.rate > 0 ? formatRate(row.rate) : ''
  const eta = row.etaSeconds === null ? '' : `${formatEta(row.etaSeconds)} left`
  const reason = row.reason === undefined ? '' : ` (${terminalText(row.reason)})`
  return `${pad(memberName(row), nameWidth)} ${f === undefined ? ' '.repeat(20) : bar(f)} ${percent.padEnd(4)}  ${(stateText(row, now) + reason).padEnd(18)}  ${rate.padEnd(11)} ${eta}`.trimEnd()
}
