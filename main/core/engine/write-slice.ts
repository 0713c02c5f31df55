// The most one write call passes to the kernel. A larger write makes the page cache allocate larger
// folios, taken from the free blocks of 2 MiB and more that a VM hands back to its host (free page
// reporting), and every page of them is faulted in again at its first touch: on the VMs measured
// here one GiB written in calls of 2 MiB cost 6–11 s of system time, in calls of 64–512 KiB
// 0.3–0.5 s (README, session 18). Pieces of 512 KiB to 4 MiB are written in such slices.
export const WRITE_SLICE_BYTES = 256 * 1024

/** The length of the next write call for `remaining` bytes. */
export function sliceLength (remaining: number): number {
  return Math.min(remaining, WRITE_SLICE_BYTES)
}
