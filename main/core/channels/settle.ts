// When a file in a watched folder is ready to send: its size and mtime have not changed for the
// settle time (a writer still appending moves one or the other). Each file keeps the round it was
// first seen in (or last changed in), which orders what goes out: a file that appeared earlier is
// sent earlier; within one round, older mtime first, then by path.
import type { FolderFile } from './folder-scan.js'

export interface Sighting extends FolderFile {
  /** The scan round in which this version of the file was first seen. */
  readonly round: number
  /** When (ms) its size and mtime were last seen to change, or first seen. */
  readonly stableSince: number
}

export class SettleTracker {
  private readonly files = new Map<string, Sighting>()
  private round = 0

  /** One full scan of the folder at `now`: new files start settling, changed ones start again, removed ones are forgotten. */
  observe (scan: readonly FolderFile[], now: number): void {
    this.round++
    const present = new Set<string>()
    for (const f of scan) {
      present.add(f.path)
      const known = this.files.get(f.path)
      if (known && known.size === f.size && known.mtimeMs === f.mtimeMs) {
        // The same version: its latest settled ctime is the one to guard it by once sent (a file
        // first seen as it was written has none yet; a chmod since moves it).
        if (known.ctimeMs !== f.ctimeMs) this.files.set(f.path, { ...known, ctimeMs: f.ctimeMs })
        continue
      }
      this.files.set(f.path, { ...f, round: this.round, stableSince: now })
    }
    for (const path of this.files.keys()) if (!present.has(path)) this.files.delete(path)
  }

  /** Files unchanged for at least `settleMs`, in the order they appeared. */
  settled (now: number, settleMs: number): Sighting[] {
    return [...this.files.values()].filter(f => now - f.stableSince >= settleMs).sort(inOrder)
  }

  /** How many files are still changing (seen less than `settleMs` ago in this version). */
  settling (now: number, settleMs: number): number {
    let n = 0
    for (const f of this.files.values()) if (now - f.stableSince < settleMs) n++
    return n
  }

  get (path: string): Sighting | undefined { return this.files.get(path) }

  /** Every file present at the last scan, in the order they appeared. */
  all (): Sighting[] { return [...this.files.values()].sort(inOrder) }
}

export function inOrder (a: Sighting, b: Sighting): number {
  if (a.round !== b.round) return a.round - b.round
  if (a.mtimeMs !== b.mtimeMs) return a.mtimeMs - b.mtimeMs
  return Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))
}
