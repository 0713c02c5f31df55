// What the tray shows, decided from AppState alone: the icon's state, the tooltip and the menu
// lines. Pure, so it is tested under Node; tray.ts only turns these into Electron objects.
import { PIECE, type AppState, type Distribution, type DistributionState, type MemberRow, type MemberState } from '../../common/api.js'
import { formatCount, formatRate, plural } from '../../common/units.js'
import { shortName } from './short-name.js'

export type TrayIconState = 'idle' | 'transferring' | 'attention' | 'error'
/** The colour scheme of the panel the icon sits on: a dark panel needs the light glyph. */
export type TrayTheme = 'light' | 'dark'

export type TrayMenuItem =
  | { readonly kind: 'open'; readonly label: string }
  | { readonly kind: 'distribution'; readonly label: string; readonly infoHash: string }
  | { readonly kind: 'note'; readonly label: string }
  | { readonly kind: 'pause-all'; readonly label: string }
  | { readonly kind: 'resume-all'; readonly label: string }
  /** After the shell gave up restarting the engine: start it again (as the window's "Try again"). */
  | { readonly kind: 'restart-engine'; readonly label: string }
  | { readonly kind: 'quit'; readonly label: string }
  | { readonly kind: 'separator' }

const ACTIVE: ReadonlySet<DistributionState> = new Set(['seeding', 'downloading', 'verifying', 'paused', 'no-space'])
const MOVING: ReadonlySet<DistributionState> = new Set(['downloading', 'verifying'])
/** States that end a distribution badly: shown as an error until the person has seen them. */
const PROBLEMS: ReadonlySet<DistributionState> = new Set(['failed', 'stale'])
/** A recipient in these will not get the file this time (as the window's "failed" badge counts them). */
const MEMBER_PROBLEMS: ReadonlySet<MemberState> = new Set(['failed', 'timeout', 'unreachable'])
/** More lines than this make the menu hard to scan; the rest are counted in one line. */
export const MAX_MENU_DISTRIBUTIONS = 8
const NOTHING_SEEN: ReadonlySet<string> = new Set()

/** Identifies one problem of one distribution, so a later, different problem shows again. */
export function problemKey (d: Pick<Distribution, 'infoHash' | 'state'>): string {
  return `${d.infoHash}:${d.state}`
}

/** Identifies one machine's failure in one distribution this device sends. */
function memberProblemKey (d: Distribution, m: MemberRow): string {
  return `${d.infoHash}:${m.id}:${m.state}`
}

function failedMembers (d: Distribution): MemberRow[] {
  return d.members.filter(m => !m.self && MEMBER_PROBLEMS.has(m.state))
}

/**
 * The problems the state holds now: distributions that ended badly here and machines that will
 * not get a file sent from here. The shell marks them seen when the window is shown.
 */
export function currentProblems (state: AppState): string[] {
  return state.distributions.flatMap(d => [
    ...(PROBLEMS.has(d.state) ? [problemKey(d)] : []),
    ...failedMembers(d).map(m => memberProblemKey(d, m))
  ])
}

/** The engine process is not running (restarting, or given up on): everything else shown is old. */
function engineDown (state: AppState): boolean {
  return state.engine !== undefined && state.engine.status !== 'running'
}

/** Machines (not this one) out of space (bytes or file entries) for one of this device's distributions. */
function membersOutOfSpace (state: AppState): number {
  return state.distributions.reduce((n, d) => n + d.members.filter(m => !m.self && m.state === 'no-space').length, 0)
}

function membersLost (state: AppState): number {
  return state.distributions.reduce((n, d) => n + d.members.filter(m => !m.self && m.state === 'lost').length, 0)
}

/** Receiving here, but a piece it lacks is held only by machines that are away: nothing can move. */
function waitsForSource (d: Distribution): boolean {
  return d.role === 'recipient' && d.members.some(m => m.self && m.waitsForSource === true)
}

/**
 * An engine that is down outranks everything (what else the state says is its last word), then
 * attention (an offer waits for an answer), then an error (a disk that is full now, here or on a
 * machine receiving from this one, a watched folder that cannot send, or a failure not yet seen),
 * then transferring (hashing, receiving from a machine that is there, or bytes moving).
 */
export function trayIconState (state: AppState, seenProblems: ReadonlySet<string>): TrayIconState {
  if (engineDown(state)) return 'error'
  if (state.offers.length > 0) return 'attention'
  if (state.distributions.some(d => d.state === 'no-space') || membersOutOfSpace(state) > 0) return 'error'
  if (state.channels.some(c => c.state === 'error')) return 'error'
  if (currentProblems(state).some(k => !seenProblems.has(k))) return 'error'
  const moving = state.hashing.length > 0 ||
    state.distributions.some(d => MOVING.has(d.state) && !waitsForSource(d)) ||
    state.rates.upload > 0 || state.rates.download > 0
  return moving ? 'transferring' : 'idle'
}

/** One line for the failures the icon shows in red: what failed, by name when there is one. */
function problemsLine (state: AppState, seenProblems: ReadonlySet<string>): string | null {
  const lines: string[] = []
  for (const d of state.distributions) {
    const name = shortName(d.name)
    if (PROBLEMS.has(d.state) && !seenProblems.has(problemKey(d))) {
      lines.push(d.state === 'stale' ? `${name} is stale: its source changed` : `${name} failed`)
    }
    const machines = failedMembers(d).filter(m => !seenProblems.has(memberProblemKey(d, m)))
    if (machines.length > 0) lines.push(`${name} will not reach ${plural(machines.length, 'machine')}`)
  }
  if (lines.length === 0) return null
  return lines.length === 1 ? `${lines[0] ?? ''} — open Swarmdrop for why` : `${formatCount(lines.length)} transfers have problems — open Swarmdrop for why`
}

/** One line for the watched folders that cannot send: the folder's own reason when there is one. */
function channelsLine (state: AppState): string | null {
  const broken = state.channels.filter(c => c.state === 'error')
  const [only] = broken
  if (only === undefined) return null
  if (broken.length > 1) return `${plural(broken.length, 'watched folder')} cannot send`
  return `Watched folder ${only.name}: ${only.reason ?? 'cannot send'}`
}

/** The tooltip explains the icon: every reason it is red or amber gets a line. */
export function trayTooltip (state: AppState, seenProblems: ReadonlySet<string> = NOTHING_SEEN): string {
  if (state.engine !== undefined && state.engine.status !== 'running') {
    return `Swarmdrop — ${state.engine.status === 'restarting' ? 'engine restarting…' : 'engine stopped'}\n${state.engine.message}`
  }
  const lines = [`Swarmdrop — ↑ ${formatRate(state.rates.upload)}  ↓ ${formatRate(state.rates.download)}`]
  const offers = state.offers.length
  if (offers > 0) lines.push(`${plural(offers, 'offer')} ${offers === 1 ? 'waits' : 'wait'} for an answer`)
  const here = state.distributions.filter(d => d.state === 'no-space').length
  if (here > 0) lines.push(`${plural(here, 'download')} on hold: out of space here`)
  const full = membersOutOfSpace(state)
  if (full > 0) lines.push(`${plural(full, 'machine')} out of space`)
  const problems = problemsLine(state, seenProblems)
  if (problems !== null) lines.push(problems)
  const channels = channelsLine(state)
  if (channels !== null) lines.push(channels)
  const lost = membersLost(state)
  if (lost > 0) lines.push(`Lost contact with ${plural(lost, 'machine')}`)
  const held = state.distributions.filter(d => d.state === 'downloading' && waitsForSource(d)).length
  if (held > 0) lines.push(`${plural(held, 'download')} on hold until a machine that is away returns`)
  if (state.seedingPaused) lines.push('Seeding paused')
  return lines.join('\n')
}

/** Whole percent of the bytes this distribution still has to deliver that have arrived. */
export function distributionPercent (d: Distribution): number {
  if (d.totalLength <= 0) return 100
  if (d.role === 'recipient') {
    const self = d.members.find(m => m.self)
    const bytes = self ? self.verifiedBytes : localVerifiedBytes(d)
    return clampPercent(bytes / d.totalLength)
  }
  // The origin holds everything; its progress is the recipients'.
  const recipients = d.members.filter(m => !m.origin)
  if (recipients.length === 0) return 100
  const delivered = recipients.reduce((sum, m) => sum + Math.min(m.verifiedBytes, d.totalLength), 0)
  return clampPercent(delivered / (recipients.length * d.totalLength))
}

function localVerifiedBytes (d: Distribution): number {
  let pieces = 0
  for (const code of d.pieces.local) if (code === PIECE.verified || code === PIECE.refetched) pieces++
  return Math.min(d.totalLength, pieces * d.pieceLength)
}

function clampPercent (fraction: number): number {
  // Floor, so 100% appears only when everything is there.
  return Math.max(0, Math.min(100, Math.floor(fraction * 100)))
}

/** "1 of 2 recipients verified": the origin holds the source and is not counted as a recipient. */
function recipientsLine (verified: number, recipients: number): string {
  if (recipients === 0) return 'not sent yet'
  return `${formatCount(verified)} of ${plural(recipients, 'recipient')} verified`
}

/** What holds it up, in the window's words: out of space covers file entries (inodes) as well as bytes. */
function holdSuffix (d: Distribution): string {
  if (d.state === 'paused') return ' (paused)'
  if (d.state === 'no-space') return ' (out of space)'
  if (d.state === 'downloading' && waitsForSource(d)) return ' (on hold: a machine is away)'
  return ''
}

/** The recipients that need an eye, as the window's badges count them: ", 1 failed, 1 lost contact". */
function attentionSuffix (d: Distribution): string {
  const others = d.members.filter(m => !m.self)
  const counts: Array<[number, string]> = [
    [others.filter(m => MEMBER_PROBLEMS.has(m.state)).length, 'failed'],
    [others.filter(m => m.state === 'no-space').length, 'out of space'],
    [others.filter(m => m.state === 'lost').length, 'lost contact']
  ]
  return counts.filter(([n]) => n > 0).map(([n, what]) => `, ${formatCount(n)} ${what}`).join('')
}

export function distributionLine (d: Distribution): string {
  const machines = recipientsLine(d.totals.verifiedRecipients, d.totals.recipients)
  const attention = d.role === 'origin' ? attentionSuffix(d) : ''
  return `${shortName(d.name)} — ${distributionPercent(d)}%, ${machines}${attention}${holdSuffix(d)}`
}

export function trayMenu (state: AppState): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'open', label: 'Open Swarmdrop' }, { kind: 'separator' }]
  if (state.engine?.status === 'restarting') items.push({ kind: 'note', label: 'The engine is restarting…' }, { kind: 'separator' })
  if (state.engine?.status === 'failed') items.push({ kind: 'note', label: 'The engine stopped' }, { kind: 'restart-engine', label: 'Start the engine again' }, { kind: 'separator' })
  const active = state.distributions.filter(d => ACTIVE.has(d.state))
  if (active.length === 0) items.push({ kind: 'note', label: 'No active distributions' })
  for (const d of active.slice(0, MAX_MENU_DISTRIBUTIONS)) {
    items.push({ kind: 'distribution', label: distributionLine(d), infoHash: d.infoHash })
  }
  if (active.length > MAX_MENU_DISTRIBUTIONS) {
    items.push({ kind: 'note', label: `and ${active.length - MAX_MENU_DISTRIBUTIONS} more…` })
  }
  items.push({ kind: 'separator' })
  items.push(state.seedingPaused
    ? { kind: 'resume-all', label: 'Resume all' }
    : { kind: 'pause-all', label: 'Pause all seeding' })
  items.push({ kind: 'separator' }, { kind: 'quit', label: 'Quit Swarmdrop' })
  return items
}

/** Equal signatures mean an identical menu: the shell rebuilds the native menu only on change. */
export function menuSignature (items: readonly TrayMenuItem[]): string {
  return JSON.stringify(items)
}

/**
 * The icon file for a platform, without directory. Linux panels scale a 32 px image well; Windows
 * and macOS trays want 16 px, and Electron picks the `@2x` sibling on high-density screens.
 */
export function trayIconFile (platform: string, state: TrayIconState, theme: TrayTheme): string {
  const size = platform === 'linux' ? 32 : 16
  return `tray-${state}-${theme}-${size}.png`
}
