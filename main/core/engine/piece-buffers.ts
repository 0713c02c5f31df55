// Reusable buffers for pieces being received. WebTorrent allocated a fresh piece-sized buffer for
// every piece (and before that kept every 16 KiB block's socket read alive until the piece was
// whole). Hundreds of MB of short-lived ArrayBuffers per transfer made V8 run a full mark-compact
// every few MB, about a third of a recipient's CPU. With the patched torrent-piece, each block is
// copied on arrival into a buffer taken here, and the torrent gives the buffer back once the piece
// is written (or failed its hash), so steady state allocates none.
//
// Buffers of pieces at least `sharedFrom` long are views of page-aligned SharedArrayBuffers: the
// disk thread writes such a piece with O_DIRECT from where it was assembled (no copy on the main
// thread to hand it over, none into the thread's staging memory), and the piece-check thread
// (hashing/piece-checker.ts) hashes those of 1 MiB or more there. Most of a member's block is read
// by the socket straight into this memory (Piece#claim, direct reads), so the dearer JavaScript
// copy into shared memory (V8 copies word by word there) is paid only for each block's first read
// and for standard peers' 16 KiB blocks. Measured, pieces of 512 KiB over one link (session 26):
// 2.6-2.8 CPU-s per GiB against 3.0-3.4 with ordinary memory.
//
// A buffer must never be given back while anything may still read it: the torrent returns it only
// after the store's write completed (not after a failed write, whose other segments may still be
// in flight), and copies it before handing it to a peer (see isLent).
//
// Shared buffers are carved page-aligned from slabs (aligned-memory.ts), so the disk thread writes
// those pieces with O_DIRECT from where they were assembled instead of copying them first.
import { AlignedSlots } from './aligned-memory.js'

/**
 * Pieces at least this long are assembled in page-aligned shared memory (the engine's default;
 * see the top of this file and engine.ts).
 */
export const SHARED_PIECE_BYTES = 256 * 1024

/** Free buffers kept for reuse, at most this many bytes in all. */
const MAX_FREE_BYTES = 32 * 1024 * 1024
/**
 * And at most this many of one length. Enough for every piece the torrent may have begun (16 MiB
 * of pieces: 128 of 128 KiB) to come back: with 16, pieces of 512 KiB or less outnumbered the
 * list, and each one over it was allocated afresh (garbage the collector had to chase).
 */
const MAX_FREE = 256
/**
 * The most page-aligned memory for pieces of one length: what the torrent may have begun (16 MiB)
 * and pieces waiting for their hash and write, with room to spare; beyond it, plain shared memory.
 */
const ALIGNED_BYTES = 64 * 1024 * 1024

export class PieceBuffers {
  /** `sharedFrom`: the least length of a piece whose buffer is shared memory (default: none; the engine uses SHARED_PIECE_BYTES). */
  constructor (private readonly sharedFrom = Number.POSITIVE_INFINITY) {}

  private readonly free = new Map<number, Uint8Array[]>()
  /** Page-aligned slots for shared pieces, by length. */
  private readonly aligned = new Map<number, AlignedSlots>()
  /** Buffers taken and not given back: only those may be given back. */
  private readonly lent = new WeakSet<Uint8Array>()
  private freeBytes = 0

  /** A buffer of `length` bytes (contents undefined: every byte is overwritten by the piece). */
  take (length: number): Uint8Array {
    const slot = length >= this.sharedFrom ? this.slotsOf(length).take() : undefined
    const reused = slot === undefined ? this.free.get(length)?.pop() : undefined
    if (reused) this.freeBytes -= length
    const buf = slot ?? reused ?? new Uint8Array(length >= this.sharedFrom ? new SharedArrayBuffer(length) : new ArrayBuffer(length))
    this.lent.add(buf)
    return buf
  }

  /** Gives back a buffer from take() that nothing reads any more; anything else is ignored. */
  release (buf: Uint8Array): void {
    if (!this.lent.has(buf)) return
    this.lent.delete(buf)
    if (this.aligned.get(buf.byteLength)?.give(buf) === true) return
    const length = buf.byteLength
    let list = this.free.get(length)
    if (!list) { list = []; this.free.set(length, list) }
    if (list.length >= MAX_FREE || this.freeBytes + length > MAX_FREE_BYTES) return
    list.push(buf)
    this.freeBytes += length
  }

  /** True for a buffer taken and not yet given back (it may be reused once given back). */
  isLent (buf: Uint8Array): boolean { return this.lent.has(buf) }

  private slotsOf (length: number): AlignedSlots {
    let slots = this.aligned.get(length)
    if (slots === undefined) {
      slots = new AlignedSlots(length, ALIGNED_BYTES)
      this.aligned.set(length, slots)
    }
    return slots
  }
}
