// Has a source file changed since it was hashed? Its size and modification time ("stamp") are
// compared with the ones recorded when the distribution was made, and a change is described in
// words. Pure: the file system is asked by the caller (source-guard.ts).

export interface ExpectedStamp { readonly length: number; readonly mtimeMs: number }
export interface ActualStamp { readonly size: number; readonly mtimeMs: number }

/** Filesystems store mtimes with different precision; closer than this counts as the same. */
const MTIME_SLACK_MS = 1

/** What changed, as words ("size 1.0 MB → 1.1 MB"), or undefined when the stamp still matches. */
export function stampChange (expected: ExpectedStamp, actual: ActualStamp | undefined): string | undefined {
  if (actual === undefined) return 'the file is missing'
  if (actual.size !== expected.length) return `its size went from ${expected.length} to ${actual.size} bytes`
  if (Math.abs(actual.mtimeMs - expected.mtimeMs) > MTIME_SLACK_MS) return `it was modified at ${new Date(actual.mtimeMs).toISOString()}`
  return undefined
}

/** What a person does about a distribution sent by hand whose source changed (the end of staleMessage). */
export const STALE_ADVICE = ' — create a new distribution to send the new version'

/** The reason a person reads on a distribution whose source changed while it was being sent. */
export function staleMessage (fileLabel: string, what: string): string {
  return `${fileLabel} changed on disk while being sent (${what}); sending stopped${STALE_ADVICE}`
}

const WHILE_SENT = /^(.+) changed on disk while being sent \((.+)\); sending stopped$/

/**
 * The same reason on a watched folder's batch: nothing for a person to do, the folder sends the
 * files again in a new batch by itself (channel.ts), so a new distribution would send them twice.
 * With `everyoneHadIt` (every machine had verified the batch) it was not being sent any more: the
 * words say what happened instead, a change after they had it, which a new batch carries.
 */
export function staleBatchMessage (reason: string, everyoneHadIt = false): string {
  const cause = reason.endsWith(STALE_ADVICE) ? reason.slice(0, -STALE_ADVICE.length) : reason
  const m = everyoneHadIt ? WHILE_SENT.exec(cause) : null
  if (m === null) return `${cause}. This batch is no longer served; the watched folder sends its files again in a new batch by itself.`
  const [, file, what] = m
  if (what === 'the file is missing') return `${file} went from the folder after every machine had verified this batch. This batch is no longer served; it is served again if its files come back as they were.`
  return `${file} changed on disk after every machine had verified this batch (${what}). This batch is no longer served; a new batch carries the change.`
}

/** Whether every machine a batch went to had verified it (declined ones aside): then it was not being sent. */
export function everyoneHadIt (rows: readonly { readonly state: string }[]): boolean {
  const asked = rows.filter(r => r.state !== 'declined')
  return asked.length > 0 && asked.every(r => r.state === 'verified')
}

/** The reason on a recipient's verified copy that changed on disk while it was served to the others. */
export function copyChangedMessage (fileLabel: string, what: string): string {
  return `${fileLabel} changed on disk after it was verified (${what}); it is no longer shared with the other members`
}

/** "piece 37 no longer matches", the words for a piece whose bytes fail their hash when read. */
export function pieceMismatch (index: number): string {
  return `piece ${index} no longer matches`
}
