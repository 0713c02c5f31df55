// Files that are ready go out together: one distribution (one swarm) for everything that settled
// in the same window, so a burst of thousands of small segments is a few swarms, not thousands.
// A batch is bounded in files and bytes; a single file larger than the byte bound goes alone.

export const MAX_BATCH_FILES = 10_000
export const MAX_BATCH_BYTES = 4 * 1024 ** 3
/**
 * Ready files wait while others are still settling (they probably belong to the same burst), but
 * never longer than this: a folder written to without pause still sends every so often.
 */
export const MAX_HOLD_MS = 10_000

export interface BatchLimits { readonly maxFiles: number; readonly maxBytes: number }

export const BATCH_LIMITS: BatchLimits = { maxFiles: MAX_BATCH_FILES, maxBytes: MAX_BATCH_BYTES }

/** The next batch: the longest prefix of `ready` (already in order) within the limits, at least one file. */
export function nextBatch<T extends { readonly size: number }> (ready: readonly T[], limits: BatchLimits = BATCH_LIMITS): T[] {
  const batch: T[] = []
  let bytes = 0
  for (const f of ready) {
    if (batch.length >= limits.maxFiles) break
    if (batch.length > 0 && bytes + f.size > limits.maxBytes) break
    batch.push(f)
    bytes += f.size
  }
  return batch
}

/**
 * Whether to cut a batch now: something is ready, and either nothing else is still settling (the
 * burst is over), a full batch is ready, or the oldest ready file has waited MAX_HOLD_MS.
 */
export function dueNow (ready: number, readyBytes: number, settling: number, oldestReadyMs: number, limits: BatchLimits = BATCH_LIMITS, holdMs = MAX_HOLD_MS): boolean {
  if (ready === 0) return false
  return settling === 0 || ready >= limits.maxFiles || readyBytes >= limits.maxBytes || oldestReadyMs >= holdMs
}
