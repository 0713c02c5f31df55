// The most one write call passes to the kernel, and the loop that writes a range in such calls. A
// buffered write makes the page cache allocate folios as large as the call (up to the range): on a
// VM that hands its free memory back to the host (free page reporting), large folios come from the
// free blocks of 2 MiB and more that were handed back, and each of their pages is faulted in again
// at the host at its first touch. Small folios come from fragments the host never took. Measured
// here (2026-12-06, session 20), 1 GiB written after the host had taken back what was freed:
// calls of 16 KiB cost 0.45–0.5 s of system time, of 64 KiB 0.5–0.9 s, of 256 KiB 3.8–5.4 s; on one
// link `perf` put 5.1 of a recipient's 10.5 CPU-s in the copy into the page cache with 256 KiB
// calls, 1.2–1.4 s with 16 KiB ones (libtorrent, which writes 16 KiB blocks: 0.5 s). Calls this
// small are only cheap on a thread that makes them back to back with blocking calls (the disk
// thread): through libuv's pool each one costs a wake-up and a callback on the main loop.
export const WRITE_SLICE_BYTES = 16 * 1024

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
