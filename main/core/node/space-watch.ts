// Waits for room on disk: for each download stopped by a full disk, asks the file system how much
// is free every couple of seconds (bytes, and file entries: a disk out of inodes is as full for a
// folder of small files) and calls back once its download fits again. One statfs per download at
// a time; everything stops with stop().
import { statfs } from 'node:fs/promises'
import { fits, type Need, type Room } from './space.js'

const INTERVAL_MS = 2_000

/** Free bytes for an unprivileged writer in `dir`, or undefined when it cannot be asked. */
export async function freeBytes (dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}

/** Room for an unprivileged writer in `dir`, or undefined when it cannot be asked. */
export async function freeRoom (dir: string): Promise<Room | undefined> {
  try {
    const s = await statfs(dir)
    // A file system that counts no file entries (btrfs reports none) limits only bytes.
    return s.files > 0 ? { bytes: s.bavail * s.bsize, files: s.ffree } : { bytes: s.bavail * s.bsize }
  } catch {
    return undefined
  }
}

interface Watched {
  readonly dir: string
  readonly needed: () => Need
  readonly onRoom: (room: Room) => void
  readonly onShort: ((room: Room, needed: Need) => void) | undefined
  readonly timer: NodeJS.Timeout
  checking: boolean
}

export interface SpaceWatchOptions {
  readonly intervalMs?: number
  readonly free?: (dir: string) => Promise<Room | undefined>
}

export class SpaceWatch {
  private readonly watched = new Map<string, Watched>()
  private readonly intervalMs: number
  private readonly free: (dir: string) => Promise<Room | undefined>

  constructor (opts: SpaceWatchOptions = {}) {
    this.intervalMs = opts.intervalMs ?? INTERVAL_MS
    this.free = opts.free ?? freeRoom
  }

  has (key: string): boolean { return this.watched.has(key) }

  /**
   * Calls `onRoom` once, when `dir` has the room `needed()` asks (bytes and file entries), and
   * `onShort` after each check that finds too little (so the reason shown can follow the free
   * space); replaces an earlier watch of `key`.
   */
  watch (key: string, dir: string, needed: () => Need, onRoom: (room: Room) => void, onShort?: (room: Room, needed: Need) => void): void {
    this.unwatch(key)
    const timer = setInterval(() => { void this.check(key) }, this.intervalMs)
    timer.unref()
    this.watched.set(key, { dir, needed, onRoom, onShort, timer, checking: false })
  }

  unwatch (key: string): void {
    const w = this.watched.get(key)
    if (!w) return
    clearInterval(w.timer)
    this.watched.delete(key)
  }

  stop (): void {
    for (const key of [...this.watched.keys()]) this.unwatch(key)
  }

  private async check (key: string): Promise<void> {
    const w = this.watched.get(key)
    if (!w || w.checking) return
    w.checking = true
    try {
      const room = await this.free(w.dir)
      // Unwatched (or replaced) while statfs ran: this answer is no longer anyone's.
      if (this.watched.get(key) !== w || room === undefined) return
      const needed = w.needed()
      if (!fits(room, needed)) return w.onShort?.(room, needed)
      this.unwatch(key)
      w.onRoom(room)
    } finally {
      w.checking = false
    }
  }
}
