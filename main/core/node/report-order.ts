// Reports arrive late and out of order on a loaded LAN (a retried final report, forty recipients
// answering at once), so a state is replaced only by a newer one: states only move forward.
import type { RecipientStatus } from '../distributions/records.js'
import type { Report } from '../protocol/messages.js'

/** Final states that a report without an order may not undo ("failed" may: the recipient can retry). */
const KEPT_WITHOUT_ORDER: readonly string[] = ['verified', 'declined']

/**
 * True when `report` is newer than what `current` holds. Reports carry an order (`seq`, increasing
 * across the recipient's restarts); one without (an older peer) may not undo a final state.
 */
export function isNewerReport (current: RecipientStatus, report: Report): boolean {
  if (report.seq !== undefined && current.seq !== undefined) return report.seq > current.seq
  if (KEPT_WITHOUT_ORDER.includes(current.state)) return report.state === 'verified' && current.state !== 'verified'
  return true
}

/**
 * A report order that keeps increasing across restarts of the recipient without storing anything:
 * microseconds of the wall clock at start, plus a counter. Safe below 2^53 until the year 2255.
 */
export class ReportSequence {
  private last: number

  constructor (private readonly clock: () => number = Date.now) { this.last = clock() * 1000 }

  next (): number {
    this.last = Math.max(this.last + 1, this.clock() * 1000)
    return this.last
  }
}
