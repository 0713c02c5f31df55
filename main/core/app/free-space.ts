// Free bytes of the folders offers would land in, and whether they can be written at all. AppState
// is built synchronously, so the figures are read ahead (statfs, access) and kept; a folder that
// does not exist yet (downloads are created on accept) is measured at its nearest existing parent.
import { statfs } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileSizeLimit, folderProblem } from '../node/folder-access.js'
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
  private readonly known = new Map<string, FolderFacts>()

  /** What is known of `dir` for an offer card (offers-view.ts); nothing until the first refresh reached it. */
  facts (dir: string): FolderFacts { return this.known.get(dir) ?? {} }

  async refresh (dirs: Iterable<string>): Promise<void> {
    for (const dir of new Set(dirs)) {
      const [freeBytes, freeEntries, problem, limit] = await Promise.all([freeBytesAt(dir), freeEntriesAt(dir), folderProblem(dir), fileSizeLimit(dir)])
      this.known.set(dir, {
        ...(freeBytes !== undefined ? { freeBytes } : {}),
        ...(freeEntries !== undefined ? { freeEntries } : {}),
        ...(problem !== undefined ? { problem } : {}),
        ...(limit !== undefined ? { limit } : {})
      })
    }
  }
}
