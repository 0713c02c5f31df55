// Fills the file system under a test's small tmpfs, as another program writing to the same disk
// would: MiB after MiB into one file until a write is refused (ENOSPC).
import { closeSync, openSync, writeSync } from 'node:fs'

const MiB = 1024 * 1024

/** Writes into `path` until the disk is full, at most `maxMiB` MiB (a bound, in case it never is). */
export function fillDisk (path: string, maxMiB: number): void {
  const fd = openSync(path, 'w')
  try {
    const chunk = Buffer.alloc(MiB, 7)
    for (let i = 0; i < maxMiB; i++) {
      try { writeSync(fd, chunk) } catch { break }
    }
  } finally {
    closeSync(fd)
  }
}
