// Reports are best effort, except the last one: a sender that never hears "verified" (or failed,
// declined) keeps `send --wait` and its swarm view waiting forever. One lost POST — a busy sender
// with twenty recipients answering at once, a cable out for a few seconds — must not do that, so a
// final report is tried again with backoff until the sender answers or the node stops.

export const FINAL_REPORT_STATES: readonly string[] = ['verified', 'failed', 'declined']

/** Seconds between tries of a final report: about half a minute in all. */
export const FINAL_REPORT_BACKOFF_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000]

/**
 * Tries `send` once, then again after each backoff delay while it fails and `stopped()` is false.
 * Returns whether the sender got it.
 */
export async function deliverWithRetry (
  send: () => Promise<boolean>,
  stopped: () => boolean,
  backoffMs: readonly number[] = FINAL_REPORT_BACKOFF_MS
): Promise<boolean> {
  if (await send()) return true
  for (const wait of backoffMs) {
    await new Promise(resolve => setTimeout(resolve, wait).unref())
    if (stopped()) return false
    if (await send()) return true
  }
  return false
}
