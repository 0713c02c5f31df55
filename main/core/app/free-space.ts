// Free bytes of the folders offers would land in, and whether they can be written at all. AppState
// is built synchronously, so the figures are read ahead (statfs, access) and kept; a folder that
// does not exist yet (downloads are created on accept) is measured at its nearest existing parent.
import { statfs } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileSizeLimit, folderProblem, type FileSizeLimit } from '../node/folder-access.js'
import type { FolderFacts } from './offers-view.js'

export async function freeBytesAt (dir: string): Promise<number | undefined> {
  let at = resolve(dir)
  for (let i = 0; i < 64; i++) {
    try {
      const s = await statfs(at)
      return s.bavail * s.bsize
    } catch {
      const up = dirname(at)
      if (up === at) return undefined
      at = up
    }
  }
  return undefined
}

/** Free file entries (inodes) of `dir`'s file system, measured as freeBytesAt; undefined where it counts none. */
export async function freeEntriesAt (dir: string): Promise<number | undefined> {
  let at = resolve(dir)
  for (let i = 0; i < 64; i++) {
    try {
      const s = await statfs(at)
      return s.files > 0 ? s.ffree : undefined
    } catch {
      const up = dirname(at)
      if (up === at) return undefined
      at = up
    }
  }
  return undefined
}

export class FreeSpace {
  private readonly known = new Map<string, number>()
  private readonly entries = new Map<string, number>()
  private readonly problems = new Map<string, string>()
  private readonly limits = new Map<string, FileSizeLimit>()

  /** Last figure for `dir`; undefined until the first refresh reached it. */
  get (dir: string): number | undefined { return this.known.get(dir) }

  /** Why nothing can be saved in `dir` (folder-access.ts) at the last refresh; undefined when it can. */
  problem (dir: string): string | undefined { return this.problems.get(dir) }

  /** What is known of `dir` for an offer card (offers-view.ts). */
  facts (dir: string): FolderFacts {
    const freeBytes = this.known.get(dir)
    const freeEntries = this.entries.get(dir)
    const problem = this.problems.get(dir)
    const limit = this.limits.get(dir)
    return { ...(freeBytes !== undefined ? { freeBytes } : {}), ...(freeEntries !== undefined ? { freeEntries } : {}), ...(problem !== undefined ? { problem } : {}), ...(limit !== undefined ? { limit } : {}) }
  }

  /** The largest file `dir`'s file system holds, where it is small (FAT's 4 GiB); undefined otherwise. */
  limit (dir: string): FileSizeLimit | undefined { return this.limits.get(dir) }

  async refresh (dirs: Iterable<string>): Promise<void> {
    for (const dir of new Set(dirs)) {
      const free = await freeBytesAt(dir)
      if (free === undefined) this.known.delete(dir)
      else this.known.set(dir, free)
      const problem = await folderProblem(dir)
      if (problem === undefined) this.problems.delete(dir)
      else this.problems.set(dir, problem)
      const entries = await freeEntriesAt(dir)
      if (entries === undefined) this.entries.delete(dir)
      else this.entries.set(dir, entries)
      const limit = await fileSizeLimit(dir)
      if (limit === undefined) this.limits.delete(dir)
      else this.limits.set(dir, limit)
    }
  }
}
