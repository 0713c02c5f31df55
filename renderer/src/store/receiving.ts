// When each member started receiving, as this window saw it: a rate measured over the first
// seconds of a transfer is noise (one slow block gives "378 hours"), so ETAs read "estimating…"
// until a member has been receiving for a few seconds.
import type { AppState, MemberRow, MemberState } from '../../../preload/api.js'

/** Long enough for the engine's 5-second rate window to fill. */
export const SETTLE_MS = 5_000

const RECEIVING: readonly MemberState[] = ['accepted', 'downloading']

/** `${infoHash}/${memberId}` → ms when it was first seen receiving in its current run. */
export type ReceivingSince = Readonly<Record<string, number>>

export const receivingKey = (infoHash: string, memberId: string): string => `${infoHash}/${memberId}`

export function isReceiving (state: MemberState): boolean {
  return RECEIVING.includes(state)
}

/** Keeps the start of every member still receiving, starts new ones at `now`, forgets the rest. */
export function trackReceiving (prev: ReceivingSince, state: AppState, now: number): ReceivingSince {
  const next: Record<string, number> = {}
  for (const d of state.distributions) {
    for (const m of d.members) {
      if (!isReceiving(m.state)) continue
      const key = receivingKey(d.infoHash, m.id)
      next[key] = prev[key] ?? now
    }
  }
  return next
}

/** True while a receiving member's ETA is not worth showing yet: no rate, no ETA, or too early. */
export function etaSettling (row: MemberRow, since: number | undefined, now: number): boolean {
  if (!isReceiving(row.state)) return false
  if (row.rate <= 0 || row.etaSeconds === null) return true
  return since === undefined || now - since < SETTLE_MS
}
