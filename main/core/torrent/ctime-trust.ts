// When a file's change time (ctime) can stand in for hashing what is read from it. Every write,
// truncation, attribute change or rename sets a file's ctime to the current time, and no tool can
// set it back (utimes puts back mtime and atime; ctime moves then too). So on a file system that
// keeps ctime, a piece read from a file whose ctime, taken after the read, still equals the one
// listed before the file was hashed holds exactly the bytes that were hashed. Two writes within one
// tick of the kernel's clock share a ctime, so a ctime counts only if it was already a moment old
// when it was listed: then a later write cannot share it.
import { statfs } from 'node:fs/promises'

/** How old a ctime must be when listed to count (the kernel's clock ticks every 1–10 ms). */
export const SETTLED_MS = 1_000

/**
 * Local Linux file systems that set ctime on every change (statfs f_type). Network and FUSE file
 * systems are left out: a client's cached attributes may lag another machine's write.
 */
const KEEPS_CTIME: ReadonlySet<number> = new Set([
  0xEF53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683E, // btrfs
  0x01021994, // tmpfs
  0xF2F52010, // f2fs
  0x2FC12FC1, // zfs
  0xCA451A4E, // bcachefs
  0x794C7630 // overlayfs (a container's root: its upper layer's inode answers)
])

/** The ctime to record for a file listed at `listedAtMs`, or undefined if it changed too recently to count. */
export function settledCtime (ctimeMs: number, listedAtMs: number): number | undefined {
  return Number.isFinite(ctimeMs) && listedAtMs - ctimeMs >= SETTLED_MS ? ctimeMs : undefined
}

/** Whether a statfs f_type is a file system whose ctime moves on every change. */
export function keepsCtime (fsType: number, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && KEEPS_CTIME.has(fsType)
}

/** Whether the file system holding `path` keeps ctime; false when it cannot be asked. */
export async function fileSystemKeepsCtime (path: string): Promise<boolean> {
  if (process.platform !== 'linux') return false
  try {
    return keepsCtime((await statfs(path)).type)
  } catch {
    return false
  }
}
