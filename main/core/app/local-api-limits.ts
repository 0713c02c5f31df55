// How long the local API may hold `GET /v1/local/state/next` (local-api.ts) before answering with
// the current state: shared by the server and the command line's clients (local-client.ts,
// in-process-client.ts).

/** Without `?within=MS`. */
export const NEXT_STATE_DEFAULT_MS = 25_000
/** The most `within` may ask; the listener's request timeout (120 s) stays well above it. */
export const NEXT_STATE_MAX_MS = 60_000

/** A wait a client may ask for: whole milliseconds from 0 to NEXT_STATE_MAX_MS. */
export function nextStateWithin (withinMs: number): number {
  return Math.max(0, Math.min(NEXT_STATE_MAX_MS, Math.round(withinMs)))
}
