// What the tray shows, decided from AppState alone: the icon's state, the tooltip and the menu
// lines. Pure, so it is tested under Node; tray.ts only turns these into Electron objects.
import { PIECE, type AppState, type Distribution, type DistributionState } from '../../common/api.js'
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
/** More lines than this make the menu hard to scan; the rest are counted in one line. */
export const MAX_MENU_DISTRIBUTIONS = 8

/** Identifies one problem of one distribution, so a later, different problem shows again. */
export function problemKey (d: Pick<Distribution, 'infoHash' | 'state'>): string {
  return `${d.infoHash}:${d.state}`
}

/** The problems the state holds now; the shell marks them seen when the window is shown. */
export function currentProblems (state: AppState): string[] {
  return state.distributions.filter(d => PROBLEMS.has(d.state)).map(problemKey)
}

/** The engine process is not running (restarting, or given up on): everything else shown is old. */
function engineDown (state: AppState): boolean {
  return state.engine !== undefined && state.engine.status !== 'running'
}

/** Machines (not this one) whose disk is full for one of this device's distributions. */
function membersOutOfSpace (state: AppState): number {
  return state.distributions.reduce((n, d) => n + d.members.filter(m => !m.self && m.state === 'no-space').length, 0)
}

/**
 * An engine that is down outranks everything (what else the state says is its last word), then
 * attention (an offer waits for an answer), then an error (a disk that is full now, here or on a
 * machine receiving from this one, or a failure not yet seen), then transferring (hashing,
 * receiving, or bytes moving).
 */
export function trayIconState (state: AppState, seenProblems: ReadonlySet<string>): TrayIconState {
  if (engineDown(state)) return 'error'
  if (state.offers.length > 0) return 'attention'
  if (state.distributions.some(d => d.state === 'no-space') || membersOutOfSpace(state) > 0) return 'error'
  if (currentProblems(state).some(k => !seenProblems.has(k))) return 'error'
  const moving = state.hashing.length > 0 ||
    state.distributions.some(d => MOVING.has(d.state)) ||
    state.rates.upload > 0 || state.rates.download > 0
  return moving ? 'transferring' : 'idle'
}

export function trayTooltip (state: AppState): string {
  if (state.engine !== undefined && state.engine.status !== 'running') {
    return `Swarmdrop — ${state.engine.status === 'restarting' ? 'engine restarting…' : 'engine stopped'}\n${state.engine.message}`
  }
  const lines = [`Swarmdrop — ↑ ${formatRate(state.rates.upload)}  ↓ ${formatRate(state.rates.download)}`]
  const offers = state.offers.length
  if (offers > 0) lines.push(`${plural(offers, 'offer')} ${offers === 1 ? 'waits' : 'wait'} for an answer`)
  const full = membersOutOfSpace(state)
  if (full > 0) lines.push(`${plural(full, 'machine')} out of disk space`)
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

export function distributionLine (d: Distribution): string {
  const machines = recipientsLine(d.totals.verifiedRecipients, d.totals.recipients)
  const suffix = d.state === 'paused' ? ' (paused)' : d.state === 'no-space' ? ' (disk full)' : ''
  return `${shortName(d.name)} — ${distributionPercent(d)}%, ${machines}${suffix}`
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
