// SHA-256s of files a receiver's store wrote, taken from the bytes as they were written: a small
// file written whole in one batch (inside one verified piece), or a file longer than a piece whose
// every byte this store wrote (running-digest.ts). The final check (distributions/finish.ts) uses
// them instead of reading those files back, and reads every other file from disk (after a
// restart, for instance). Kept in memory only, per absolute path; an entry is used once, and
// dropped if its file is removed.

import type { RunningDigest } from './running-digest.js'

interface Written { readonly length: number; readonly sha256: string }

const written = new Map<string, Written>()
/** Digests still being taken as files are written, by path (running-digest.ts). */
const running = new Map<string, RunningDigest>()

export function recordWritten (path: string, length: number, sha256: string): void {
  written.set(path, { length, sha256 })
}

/** The SHA-256 of `path` as written, if it was written whole with this length; forgets it. */
export function takeWritten (path: string, length: number): string | undefined {
  const w = written.get(path)
  if (w === undefined) return undefined
  written.delete(path)
  return w.length === length ? w.sha256 : undefined
}

export function forgetWritten (paths: Iterable<string>): void {
  for (const p of paths) written.delete(p)
}

/** A store takes the digest of `path` as it writes it. */
export function trackRunning (path: string, digest: RunningDigest): void {
  running.set(path, digest)
}

/** The store is done with it (recorded, abandoned or closed). */
export function untrackRunning (path: string, digest: RunningDigest): void {
  if (running.get(path) === digest) running.delete(path)
}

/**
 * The final check of `path`: completes a digest being taken as it was written, reading at most
 * `maxRead` bytes, and resolves to it (undefined when more is left: the caller reads the file).
 * Undefined at once when no digest is being taken, so a folder's small files cost no await.
 */
export function completeRunning (path: string, length: number, maxRead: number): Promise<string | undefined> | undefined {
  const d = running.get(path)
  if (d === undefined || d.length !== length) return undefined
  running.delete(path)
  return d.complete(maxRead)
}
