// Words and icons for states, so that nothing is told by colour alone. The tone picks a colour
// class; the icon and text carry the meaning.
import { shortFingerprint } from '../../../common/device-id.js'
import type { DistributionState, ImpostorNotice, MemberState } from '../../../preload/api.js'

export type Tone = 'ok' | 'active' | 'warn' | 'danger' | 'idle'

export interface StateLabel { readonly icon: string; readonly text: string; readonly tone: Tone }

const DIST: Record<DistributionState, StateLabel> = {
  seeding: { icon: '↑', text: 'seeding', tone: 'active' },
  downloading: { icon: '↓', text: 'downloading', tone: 'active' },
  verifying: { icon: '⟳', text: 'verifying', tone: 'active' },
  verified: { icon: '✓', text: 'verified', tone: 'ok' },
  failed: { icon: '✕', text: 'failed', tone: 'danger' },
  paused: { icon: '⏸', text: 'paused', tone: 'idle' },
  stale: { icon: '!', text: 'stale', tone: 'warn' },
  'no-space': { icon: '!', text: 'out of space', tone: 'danger' }
}

const MEMBER: Record<MemberState, StateLabel> = {
  offering: { icon: '…', text: 'offering', tone: 'idle' },
  pending: { icon: '?', text: 'waiting for answer', tone: 'idle' },
  accepted: { icon: '✓', text: 'accepted', tone: 'active' },
  declined: { icon: '⊘', text: 'declined', tone: 'warn' },
  downloading: { icon: '↓', text: 'receiving', tone: 'active' },
  verifying: { icon: '⟳', text: 'verifying', tone: 'active' },
  verified: { icon: '✓', text: 'verified', tone: 'ok' },
  failed: { icon: '✕', text: 'failed', tone: 'danger' },
  paused: { icon: '⏸', text: 'paused', tone: 'idle' },
  unreachable: { icon: '!', text: 'unreachable', tone: 'warn' },
  timeout: { icon: '!', text: 'no answer', tone: 'warn' },
  'no-space': { icon: '!', text: 'out of space', tone: 'danger' },
  lost: { icon: '⚠', text: 'lost contact', tone: 'warn' },
  unknown: { icon: '?', text: 'unknown', tone: 'idle' },
  waiting: { icon: '○', text: 'offline · gets it when back', tone: 'idle' }
}

export function distributionLabel (state: DistributionState): StateLabel {
  return DIST[state]
}

export function memberLabel (state: MemberState): StateLabel {
  return MEMBER[state]
}

/**
 * A verified copy whose machine is offline: still verified (✓), greyed, with how long it has been
 * away ("verified · offline 0:12"); short, so the state column stays narrow at 800 px.
 */
export function verifiedOfflineLabel (awayFor: string): StateLabel {
  return { icon: '✓', text: `verified · offline ${awayFor}`, tone: 'idle' }
}

/** One sentence for a connection refused because it did not prove the key of the member at its address. */
export function impostorText (n: ImpostorNotice): string {
  const claimed = n.claimedId === undefined ? 'no device id claimed' : `claimed ${shortFingerprint(n.claimedId)}`
  return `Refused a connection from ${n.address}: it did not prove the key of the machine at that address (${claimed}; ${n.reason}). Someone may be posing as a member.`
}

/** Member states that mean "this machine will not get the file this time": they must stand out. */
export const REFUSED_STATES: readonly MemberState[] = ['declined', 'failed', 'timeout', 'unreachable']

/**
 * States a person should notice in a list of machines: refused, lost contact, or out of space (it
 * goes on by itself once space is freed, so it still takes part, but someone has to free it).
 */
export function needsAttention (state: MemberState): boolean {
  return state === 'lost' || state === 'no-space' || REFUSED_STATES.includes(state)
}
