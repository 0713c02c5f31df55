// Keeps the selection valid as state arrives: a vanished distribution is unselected, the first one
// is shown when nothing is, and a freshly dropped file's distribution is selected once hashed.
import type { AppState, Distribution } from '../../../preload/api.js'

export interface PendingCreate {
  readonly jobId: string
  readonly name: string
  /** Distributions that existed when the file was dropped. */
  readonly known: readonly string[]
  /** The hashing job has been seen in a state update. */
  readonly seen: boolean
}

export interface Selection {
  readonly selected: string | null
  readonly pendingCreate: PendingCreate | null
  /** True when the pending drop just became a distribution. */
  readonly created: boolean
}

function newest (dists: readonly Distribution[]): Distribution | null {
  return dists.reduce<Distribution | null>((best, d) => best === null || d.createdAt > best.createdAt ? d : best, null)
}

export function reconcileSelection (state: AppState, selected: string | null, pending: PendingCreate | null): Selection {
  const dists = state.distributions
  let stillPending = pending
  if (pending !== null) {
    const hashing = state.hashing.some(j => j.jobId === pending.jobId)
    const seen = pending.seen || hashing
    const named = dists.filter(d => d.role === 'origin' && d.name === pending.name)
    // A new infoHash is proof at once; the same file dropped again is known once its hashing ends.
    const made = newest(named.filter(d => !pending.known.includes(d.infoHash))) ?? (seen && !hashing ? newest(named) : null)
    if (made !== null) return { selected: made.infoHash, pendingCreate: null, created: true }
    // Hashing ended with nothing to show (it failed): stop waiting.
    stillPending = seen && !hashing ? null : { ...pending, seen }
  }
  const stillThere = selected !== null && dists.some(d => d.infoHash === selected)
  return { selected: stillThere ? selected : dists[0]?.infoHash ?? null, pendingCreate: stillPending, created: false }
}
