// How one recipient of `send --wait` ended, and the words for it: the JSON summary's recipients
// and the lines a person reads at the end.
import type { MemberRow } from '../../../common/api.js'
import type { SendOutcome } from '../../../common/cli-json.js'
import { plural } from './format.js'
import { stateLabel } from './member-line.js'
import { terminalText } from './terminal-text.js'

/** How one recipient ended: the contract's record, as `send --wait --json` prints it. */
export type Outcome = SendOutcome

/**
 * Everything `send --wait` knows of one recipient: its row, as the app shows it, and the file's
 * SHA-256 (a verified copy matched it on that machine).
 */
export interface Followed { readonly id: string; readonly row: MemberRow | undefined; readonly sha256: string | undefined }

/** Where a machine that did not finish in time had got to ("waiting for answer", "receiving"). */
function whereItWas (row: MemberRow | undefined): string | undefined {
  return row === undefined || row.state === 'unknown' ? undefined : stateLabel(row.state)
}

/** How it ended; `stale` is why nobody unfinished will get it (the source changed), if so. */
export function outcomeOf (f: Followed, stale: string | undefined): Outcome {
  const state = f.row?.state
  const status: Outcome['status'] = state === 'verified'
    ? 'verified'
    : state === 'declined'
      ? 'declined'
      : state === 'failed' || state === 'unreachable' || stale !== undefined
        ? 'failed'
        : state === 'lost' ? 'lost' : state === 'no-space' ? 'no-space' : 'timeout'
  const reason = status === 'verified' ? undefined : stale !== undefined && state !== 'failed' && state !== 'declined' ? stale : f.row?.reason ?? (status === 'timeout' ? whereItWas(f.row) : undefined)
  return {
    name: f.row?.name ?? f.id,
    id: f.id,
    status,
    ...(status === 'verified' && f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
    ...(reason ? { reason } : {}),
    ...(status === 'verified' && f.row?.alreadyHad === true ? { alreadyHad: true as const } : {}),
    ...(status === 'lost' && f.row?.lostSince !== undefined ? { lostSince: f.row.lostSince } : {})
  }
}

export function outcomeText (o: Outcome): string {
  const reason = o.reason === undefined ? '' : ` (${terminalText(o.reason)})`
  switch (o.status) {
    case 'verified': return o.alreadyHad === true ? '✓ verified (already had it)' : '✓ verified'
    case 'lost': return `lost contact${o.lostSince === undefined ? '' : ` at ${new Date(o.lostSince).toLocaleTimeString()}`}; it resumes when it returns${reason}`
    // The engine's reason already says how much is needed and that it resumes by itself.
    case 'no-space': return `out of space, not done in time${reason === '' ? '; it resumes by itself once space is freed' : reason}`
    case 'timeout': return `not done in time${reason}`
    default: return `${o.status}${reason}`
  }
}

/** How the summary counts each way of not finishing ("1 out of space", "2 not done in time"). */
const SUMMARY_WORDS: Readonly<Record<Exclude<Outcome['status'], 'verified'>, string>> = {
  declined: 'declined',
  failed: 'failed',
  'no-space': 'out of space',
  lost: 'lost',
  timeout: 'not done in time'
}

/** "The 1 machine verified", "All 3 machines verified", "1 of 3 machines verified (1 declined, 1 lost)". */
export function summaryLine (outcomes: readonly Outcome[]): string {
  const n = outcomes.length
  const verified = outcomes.filter(o => o.status === 'verified').length
  if (verified === n) return n === 1 ? 'The 1 machine verified' : `All ${plural(n, 'machine')} verified`
  const others = (['declined', 'failed', 'no-space', 'lost', 'timeout'] as const)
    .map(status => ({ status, count: outcomes.filter(o => o.status === status).length }))
    .filter(x => x.count > 0)
    .map(x => `${x.count} ${SUMMARY_WORDS[x.status]}`)
  return `${verified} of ${plural(n, 'machine')} verified (${others.join(', ')})`
}
