// Machines a distribution was sent to while they were off the network (a group member switched
// off, say). The origin keeps each as a recipient in state 'waiting', in the record it persists,
// and offers it the file when discovery sees the machine again: no second send is needed, and a
// restart of either side loses nothing.
import type { RecipientState, RecipientStatus } from './records.js'

export interface AbsentTarget { readonly id: string; readonly name: string }

/** How often at most one waiting machine is offered the file again while its offers do not get through. */
export const WAITING_RETRY_MS = 10_000

/**
 * States a recipient keeps when it is sent the file again while away: it has the file already, or
 * it was taking part and resumes by itself when it returns (its record there knows the swarm).
 */
const KEPT_WHILE_AWAY: readonly RecipientState[] = ['verified', 'lost', 'waiting']

export function keepsItsRow (current: RecipientStatus | undefined): boolean {
  return current !== undefined && KEPT_WHILE_AWAY.includes(current.state)
}

/** `reason`: why an offer on its return did not get through, if one was tried. */
export function waitingRow (t: AbsentTarget, now: Date, reason?: string): RecipientStatus {
  const at = now.toISOString()
  return {
    id: t.id,
    name: t.name,
    address: '',
    state: 'waiting',
    verifiedPieces: 0,
    verifiedBytes: 0,
    downloadSpeed: 0,
    uploadedBytes: 0,
    hashFailures: 0,
    ...(reason !== undefined ? { reason } : {}),
    waitingSince: at,
    updatedAt: at
  }
}

/**
 * Which waiting machines to offer to now: each at most once at a time, and, after an attempt that
 * did not get through, not again for WAITING_RETRY_MS (unless it came back on the network since).
 */
export class RetryGate {
  private readonly busy = new Set<string>()
  private readonly tried = new Map<string, number>()

  constructor (private readonly retryMs = WAITING_RETRY_MS) {}

  /** Takes the slot of `infoHash` × `id` if it is free and due; `fresh` (the machine just reappeared) skips the wait. */
  take (infoHash: string, id: string, fresh: boolean, now = Date.now()): boolean {
    const k = `${infoHash}:${id}`
    if (this.busy.has(k)) return false
    const last = this.tried.get(k)
    if (!fresh && last !== undefined && now - last < this.retryMs) return false
    this.busy.add(k)
    this.tried.set(k, now)
    return true
  }

  release (infoHash: string, id: string): void { this.busy.delete(`${infoHash}:${id}`) }

  /** Forgets machines no longer waiting, so the map stays as small as the waiting list. */
  keepOnly (keys: ReadonlySet<string>): void {
    for (const k of this.tried.keys()) if (!keys.has(k) && !this.busy.has(k)) this.tried.delete(k)
  }
}
