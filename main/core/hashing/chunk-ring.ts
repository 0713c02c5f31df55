// The memory the threads of one stream share, and the counters that pass it around. Chunk k is
// read into slot k % slots of one SharedArrayBuffer; the SHA-256 thread and the SHA-1 threads hash
// it there, at the same time, and the reader refills the slot once both are done with it. No byte
// is copied or posted between threads: they coordinate through a few Int32 counters (Atomics) and
// sleep on one of two sequence numbers: DATA (a chunk was read: work for the hashing threads) and
// ROOM (a slot was freed: work for the reader). Each wakes only the threads it concerns, since a
// thread woken for nothing costs two context switches and may push a hashing thread off its core.
import type { StreamLayout, StreamStart } from './hash-protocol.js'
import { pieceCount, SHA1_LENGTH } from './piece-count.js'

const DATA = 0 // sequence: bumped when a chunk is published (and on abort)
const ROOM = 1 // sequence: bumped when a slot is freed (and on abort)
const ABORTED = 2
const READ = 3 // chunks read, in order: chunk k may be hashed once READ > k
const HASHED = 4 // chunks fed to the SHA-256, in order
const NEXT_PIECE = 5 // the first piece no thread has claimed
const PIECES_DONE = 6
const UNHASHED = 7 // + slot: pieces of the slot's chunk whose SHA-1 is not stored yet

type WaitAsync = (typed: Int32Array, index: number, value: number) =>
  | { readonly async: false; readonly value: string }
  | { readonly async: true; readonly value: Promise<string> }
// In V8 and Node ≥ 16, but not yet in TypeScript's ES2023 library.
const waitAsync = (Atomics as unknown as { readonly waitAsync: WaitAsync }).waitAsync.bind(Atomics)

export class ChunkRing {
  readonly totalBytes: number
  readonly chunkCount: number
  readonly pieceCount: number
  private readonly chunkLength: number
  private readonly pieceLength: number // 0: no pieces
  private readonly slots: number
  private readonly control: Int32Array
  private readonly data: Uint8Array
  private readonly pieces: Uint8Array

  /** The shared memory for a stream, to pass as workerData to each of its threads. */
  static allocate (layout: StreamLayout): StreamStart {
    const geometry = ChunkRing.geometry(layout)
    // A stream shorter than the ring needs fewer buffers.
    const slots = Math.max(1, Math.min(layout.slots, geometry.chunkCount))
    return {
      files: layout.files,
      pieceLength: layout.pieceLength,
      chunkLength: layout.chunkLength,
      slots,
      control: new SharedArrayBuffer((UNHASHED + slots) * Int32Array.BYTES_PER_ELEMENT),
      data: new SharedArrayBuffer(slots * layout.chunkLength),
      pieces: new SharedArrayBuffer(geometry.pieceCount * SHA1_LENGTH)
    }
  }

  private static geometry (layout: StreamLayout): { totalBytes: number, chunkCount: number, pieceCount: number } {
    const totalBytes = layout.files.reduce((sum, f) => sum + f.length, 0)
    // Empty files still make one (empty) chunk, so they are opened, checked and get their SHA-256.
    const chunkCount = totalBytes > 0 ? Math.ceil(totalBytes / layout.chunkLength) : Math.min(1, layout.files.length)
    return { totalBytes, chunkCount, pieceCount: layout.pieceLength === null ? 0 : pieceCount(totalBytes, layout.pieceLength) }
  }

  constructor (start: StreamStart) {
    const geometry = ChunkRing.geometry(start)
    this.totalBytes = geometry.totalBytes
    this.chunkCount = geometry.chunkCount
    this.pieceCount = geometry.pieceCount
    this.chunkLength = start.chunkLength
    this.pieceLength = start.pieceLength ?? 0
    this.slots = start.slots
    this.control = new Int32Array(start.control)
    this.data = new Uint8Array(start.data)
    this.pieces = new Uint8Array(start.pieces)
  }

  /** Chunk k's bytes, in its slot. */
  chunk (k: number): Uint8Array {
    const start = (k % this.slots) * this.chunkLength
    return this.data.subarray(start, start + this.chunkBytes(k))
  }

  // --- the reading thread

  /** Whether chunk k may be read into its slot: the chunk there before it is fully hashed. */
  isFree (k: number): boolean {
    const previous = k - this.slots
    return previous < 0 || (Atomics.load(this.control, HASHED) > previous && Atomics.load(this.control, UNHASHED + k % this.slots) === 0)
  }

  /** Chunk k (the next in order) is in its slot: the hashing threads may start on it. */
  publish (k: number): void {
    Atomics.store(this.control, UNHASHED + k % this.slots, this.piecesIn(k))
    Atomics.store(this.control, READ, k + 1)
    this.bump(DATA)
  }

  roomSequence (): number {
    return Atomics.load(this.control, ROOM)
  }

  /**
   * Resolves once a slot was freed (or the job aborted) since `roomSequence()` returned `sequence`.
   * The caller must keep its event loop alive meanwhile: a pending waitAsync does not.
   */
  async roomChanged (sequence: number): Promise<void> {
    const wait = waitAsync(this.control, ROOM, sequence)
    if (wait.async) await wait.value
  }

  // --- the SHA-256 thread

  isRead (k: number): boolean {
    return Atomics.load(this.control, READ) > k
  }

  /** Chunk k (the next in order) went into the SHA-256. */
  markHashed (k: number): void {
    Atomics.store(this.control, HASHED, k + 1)
    // The slot is free only if its pieces are done too; if not, the last of them wakes the reader.
    if (Atomics.load(this.control, UNHASHED + k % this.slots) === 0) this.bump(ROOM)
  }

  /** Blocks until all pieces are stored or some slot is freed, for the SHA-256 thread at the end. */
  waitForRoom (sequence: number): void {
    Atomics.wait(this.control, ROOM, sequence)
  }

  // --- whoever hashes pieces

  /** A piece already read that no other thread has taken, now the caller's; -1 if there is none. */
  claimPiece (): number {
    for (;;) {
      const p = Atomics.load(this.control, NEXT_PIECE)
      if (p >= this.pieceCount || !this.isRead(this.chunkOfPiece(p))) return -1
      if (Atomics.compareExchange(this.control, NEXT_PIECE, p, p + 1) === p) return p
    }
  }

  allPiecesClaimed (): boolean {
    return Atomics.load(this.control, NEXT_PIECE) >= this.pieceCount
  }

  /** Piece p's bytes, in its chunk's slot. */
  piece (p: number): Uint8Array {
    const k = this.chunkOfPiece(p)
    const offset = p * this.pieceLength - k * this.chunkLength
    return this.chunk(k).subarray(offset, offset + this.pieceLength)
  }

  storePieceHash (p: number, sha1: Uint8Array): void {
    this.pieces.set(sha1, p * SHA1_LENGTH)
    Atomics.add(this.control, PIECES_DONE, 1)
    // Only the chunk's last piece may free its slot (if its SHA-256 is done; if not, markHashed
    // wakes the reader) and finish the job. Both sides check after their own store, so at least
    // one of them sees the other's and wakes.
    const k = this.chunkOfPiece(p)
    if (Atomics.sub(this.control, UNHASHED + k % this.slots, 1) === 1 && Atomics.load(this.control, HASHED) > k) this.bump(ROOM)
  }

  // --- everyone

  isFinished (): boolean {
    return Atomics.load(this.control, HASHED) === this.chunkCount && Atomics.load(this.control, PIECES_DONE) === this.pieceCount
  }

  isAborted (): boolean {
    return Atomics.load(this.control, ABORTED) !== 0
  }

  abort (): void {
    Atomics.store(this.control, ABORTED, 1)
    this.bump(DATA)
    this.bump(ROOM)
  }

  /**
   * Read a sequence before looking for work and pass it to the wait, so that a change in between
   * is not missed: the wait then returns at once.
   */
  dataSequence (): number {
    return Atomics.load(this.control, DATA)
  }

  /** Blocks until a chunk was published (or the job aborted) since `dataSequence()`. */
  waitForData (sequence: number): void {
    Atomics.wait(this.control, DATA, sequence)
  }

  /** Bytes both hashed with SHA-256 and covered by stored piece hashes (about; for progress). */
  bytesDone (): number {
    const hashed = Math.min(this.totalBytes, Atomics.load(this.control, HASHED) * this.chunkLength)
    if (this.pieceCount === 0) return hashed
    return Math.min(hashed, Atomics.load(this.control, PIECES_DONE) * this.pieceLength)
  }

  /** A copy of the piece hashes, in a plain (not shared) buffer; complete once isFinished(). */
  pieceHashes (): Buffer {
    return Buffer.from(this.pieces)
  }

  private bump (sequence: typeof DATA | typeof ROOM): void {
    Atomics.add(this.control, sequence, 1)
    Atomics.notify(this.control, sequence)
  }

  private chunkBytes (k: number): number {
    return Math.max(0, Math.min(this.chunkLength, this.totalBytes - k * this.chunkLength))
  }

  private chunkOfPiece (p: number): number {
    return Math.floor(p * this.pieceLength / this.chunkLength)
  }

  private piecesIn (k: number): number {
    return this.pieceLength === 0 ? 0 : Math.ceil(this.chunkBytes(k) / this.pieceLength)
  }
}
