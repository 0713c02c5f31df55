// What the control port refuses (a malformed offer, one connection too many) is worth a line in the
// log, but an attacker can make it refuse thousands of times a second. So a refusal is logged once
// per cause and remote address per interval, the rest counted and mentioned with the next line;
// the memory of what was logged is bounded too, and so is the number of lines per interval.
import { escapeUnsafe } from '../../../common/network-text.js'

export interface RefusalLogOptions {
  readonly intervalMs?: number
  /** Cause/address pairs remembered; the oldest is forgotten first. */
  readonly maxKeys?: number
  /** Lines per interval in all; beyond it, one line says that more were left out. */
  readonly maxLinesPerInterval?: number
  readonly now?: () => number
}

interface Seen { readonly since: number; suppressed: number }

export class RefusalLog {
  private readonly seen = new Map<string, Seen>()
  private readonly intervalMs: number
  private readonly maxKeys: number
  private readonly maxLines: number
  private readonly now: () => number
  private windowStart = -Infinity
  private linesInWindow = 0
  private droppedInWindow = 0

  constructor (private readonly warn: (message: string) => void, opts: RefusalLogOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 60_000
    this.maxKeys = opts.maxKeys ?? 1_000
    this.maxLines = opts.maxLinesPerInterval ?? 100
    this.now = opts.now ?? Date.now
  }

  /** Logs `message` unless `cause` from `address` was logged within the interval. */
  refused (cause: string, address: string, message: string): void {
    const t = this.now()
    const key = `${cause}\u0000${address}`
    const entry = this.seen.get(key)
    if (entry && t - entry.since < this.intervalMs) {
      entry.suppressed++
      return
    }
    if (t - this.windowStart >= this.intervalMs) {
      if (this.droppedInWindow > 0) this.warn(`${this.droppedInWindow} more refusals were not logged (more than ${this.maxLines} a minute)`)
      this.windowStart = t
      this.linesInWindow = 0
      this.droppedInWindow = 0
    }
    if (this.linesInWindow >= this.maxLines) {
      this.droppedInWindow++
      return
    }
    this.linesInWindow++
    this.seen.delete(key)
    if (this.seen.size >= this.maxKeys) {
      const oldest = this.seen.keys().next().value
      if (oldest !== undefined) this.seen.delete(oldest)
    }
    this.seen.set(key, { since: t, suppressed: 0 })
    const more = entry !== undefined && entry.suppressed > 0 ? ` (and ${entry.suppressed} more like it from ${address} since the last such line)` : ''
    this.warn(escapeUnsafe(message) + more)
  }
}
