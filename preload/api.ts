// The renderer's only door to the engine: the SwarmdropApi contract (defined in common/, shared
// with the shells that implement it) and where to find it at run time.
export type * from '../common/api.js'
export { API_VERSION, PIECE } from '../common/api.js'
export { reportCsv } from '../common/report-csv.js'

/**
 * Beyond the contract, what only the web UI's bridge knows: the socket to the agent closed (the
 * agent stopped or was killed). The window says so at once instead of at its next heartbeat. The
 * desktop app's IPC does not break while its window exists, so its bridge has none.
 */
export interface LinkWatch {
  /** Called once per loss, with one sentence saying what happened; returns the unsubscribe. */
  onLinkLost (listener: (message: string) => void): () => void
}
