// A floor under the size at which V8 starts its next full collection. V8 sets that size from what
// survived the last one: an agent keeps about 15 MB alive, so marking started again at ~39 MB, and
// the ArrayBuffers allocated meanwhile (the blocks of every piece served to another member) count
// against the same limit. A recipient serving others ran a mark-compact every ~0.6 s (--trace-gc:
// 58–77 in the four recipients of a 256 MiB swarm, 16 with this floor); GC was a tenth of a
// swarm's CPU.
// `node --initial-old-space-size` sets such a floor, but only on the command line, which the ways
// Swarmdrop is started (the CLI, the agent service, the desktop app) do not share. So the process
// keeps it itself: after each full collection, while the heap is small, V8's growing factor is set
// so that the next limit is about FLOOR_BYTES; once the heap is bigger, V8's own factor applies.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'

/** The least size at which a full collection starts. */
export const FLOOR_BYTES = 64 * 1024 * 1024
/** Above this much live heap the floor no longer needs a larger factor than V8's own (up to ~3). */
const OWN_FACTOR_FROM = FLOOR_BYTES / 3

let current = 0
let observer: PerformanceObserver | undefined

/** The growing factor, in percent over 1, that puts the next limit at the floor for `liveBytes`. */
export function growingPercent (liveBytes: number): number {
  if (!(liveBytes > 0) || liveBytes >= OWN_FACTOR_FROM) return 0
  return Math.round((FLOOR_BYTES / liveBytes - 1) * 100)
}

function apply (): void {
  const percent = growingPercent(getHeapStatistics().used_heap_size)
  if (percent === current) return
  // 0 gives V8 its own (dynamic) factor back.
  setFlagsFromString(`--heap-growing-percent=${percent}`)
  current = percent
}

/** A 'gc' entry carries its kind in `detail` (Node's perf_hooks). */
function isMajor (e: PerformanceEntry): boolean {
  const detail: unknown = (e as { detail?: unknown }).detail
  return typeof detail === 'object' && detail !== null && (detail as { kind?: unknown }).kind === constants.NODE_PERFORMANCE_GC_MAJOR
}

/** Keeps the floor for the rest of the process (once; later calls do nothing). */
export function keepHeapFloor (): void {
  if (observer !== undefined) return
  apply()
  observer = new PerformanceObserver(list => { if (list.getEntries().some(isMajor)) apply() })
  observer.observe({ entryTypes: ['gc'] })
}
