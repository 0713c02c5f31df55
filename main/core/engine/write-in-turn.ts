// One write call in flight per file. A buffered write holds the file's inode lock in the kernel for
// its whole copy into the page cache, so libuv's threads writing one file at once only wait for
// each other, and the waiting spins: on one link (1 GiB, 2026-12-06, `perf`) 2.5 of the recipient's
// 13 CPU-s were `rwsem_spin_on_owner` under `pwrite`. Writes queue per descriptor and go in the
// order they were asked for, a piece's slices back to back (so a crash leaves at most one piece per
// file half written, not every piece in flight).
import { write } from 'node:fs'
import { sliceLength } from './write-slice.js'

type Done = (err: NodeJS.ErrnoException | null) => void

interface Job {
  readonly buf: Uint8Array
  bufOffset: number
  length: number
  position: number
  readonly done: Done
}

/** Per descriptor: the job being written first, then those waiting. */
const queues = new Map<number, Job[]>()

/**
 * Writes `length` bytes of `buf` from `bufOffset` at `position` of `fd`, in slices, after the
 * writes already asked of the same descriptor. The caller keeps `fd` open and `buf` unchanged
 * until `done`.
 */
export function writeInTurn (fd: number, buf: Uint8Array, bufOffset: number, length: number, position: number, done: Done): void {
  const job: Job = { buf, bufOffset, length, position, done }
  const queue = queues.get(fd)
  if (queue !== undefined) {
    queue.push(job)
    return
  }
  queues.set(fd, [job])
  writeNext(fd)
}

/** Writes waiting or in flight on `fd` (for tests and diagnostics). */
export function writesInTurn (fd: number): number {
  return queues.get(fd)?.length ?? 0
}

function writeNext (fd: number): void {
  const queue = queues.get(fd)
  const job = queue?.[0]
  if (queue === undefined || job === undefined) {
    queues.delete(fd)
    return
  }
  write(fd, job.buf, job.bufOffset, sliceLength(job.length), job.position, (err, written) => {
    if (err === null && written === 0) err = Object.assign(new Error('the disk took no bytes of a write'), { code: 'EIO' })
    if (err === null && written < job.length) {
      job.bufOffset += written
      job.position += written
      job.length -= written
      return writeNext(fd)
    }
    queue.shift()
    // The next write is asked for before this one's owner hears back, so the disk never waits on it.
    if (queue.length > 0) writeNext(fd)
    else queues.delete(fd)
    job.done(err)
  })
}
