// SHA-256s of files a receiver's store wrote whole in one batch (a small file inside one verified
// piece), taken from the bytes as they were written. The final check (distributions/finish.ts)
// uses them instead of reading those files back, and reads every other file from disk: after a
// restart, for a file written in several parts, or one written through the one-file path. Kept in
// memory only, per absolute path; an entry is used once, and dropped if its file is removed.

interface Written { readonly length: number; readonly sha256: string }

const written = new Map<string, Written>()

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
