// The most one write call passes to the kernel, and the loop that writes a range in such calls. A
// buffered write makes the page cache allocate folios as large as the call (up to the range): on a
// VM that hands its free memory back to the host (free page reporting), large folios come from the
// free blocks of 2 MiB and more that were handed back, and each of their pages is faulted in again
// at the host at its first touch: 1 GiB of 2 MiB pieces cost 12–18 s of system time in whole-piece
// calls, under 1 s in slices (session 18). Smaller slices than these were tried (session 20): 16 KiB
// calls made one link's copy into the page cache cheaper, but a swarm of twenty recipients dearer
// (8.7 against 7.2 CPU-s per GiB in that copy, `perf`), 64 KiB calls a swarm of four slower
// (session 19). The disk thread makes these calls back to back (disk-worker.ts).
export const WRITE_SLICE_BYTES = 256 * 1024

/** The length of the next write call for `remaining` bytes. */
export function sliceLength (remaining: number): number {
  return Math.min(remaining, WRITE_SLICE_BYTES)
}

/** A blocking positional write, as node:fs's writeSync: the bytes written. */
export type WriteAt = (fd: number, buf: Uint8Array, bufOffset: number, length: number, position: number) => number

/**
 * Writes `length` bytes of `buf` from `bufOffset` at `position` of `fd` in calls of at most
 * WRITE_SLICE_BYTES, in order (so a crash leaves the range written up to some point, not in
 * patches). Throws what `write` throws, or EIO when the disk takes no bytes.
 */
export function writeInSlices (fd: number, buf: Uint8Array, bufOffset: number, length: number, position: number, write: WriteAt): void {
  let done = 0
  while (done < length) {
    const n = write(fd, buf, bufOffset + done, sliceLength(length - done), position + done)
    if (n <= 0) throw Object.assign(new Error('the disk took no bytes of a write'), { code: 'EIO' })
    done += n
  }
}
