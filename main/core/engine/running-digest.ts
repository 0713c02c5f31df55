// The SHA-256 of a file a receiver writes piece by piece, taken while it is written, so the final
// check (distributions/finish.ts) need not read the whole file back at the end: for a 20 GB image
// that read is the last 10–40 s of a download, and on one fast link about a fifth of the time.
// Bytes written at the digest's position are hashed from the buffer being written (from one peer
// pieces come in order: see the rarity map in patches/). A piece that arrived ahead is remembered
// and read back (from the page cache) once the position reaches it, as pieces from a swarm do in
// random order. The final check completes the digest from its position if little is left, or
// reads the whole file on the hashing thread as before (a file resumed from an earlier run, whose
// old pieces this store never wrote).
import { createHash, type Hash } from 'node:crypto'

/** Reads `length` bytes at `position` of the file into `into` (from offset 0). */
export type ReadBack = (position: number, length: number, into: Buffer, done: (err: Error | null) => void) => void

/**
 * Bytes read back at a time: ranges next to each other are read as one, so catching up after a
 * late piece outruns the download (one piece per read, each waiting its turn on the event loop,
 * fell further behind on a fast link). Also the step in which the final check completes a digest.
 */
const READ_CHUNK = 8 * 1024 * 1024

export class RunningDigest {
  private readonly hash: Hash = createHash('sha256')
  /** Bytes [0, position) are hashed. */
  private position = 0
  /** Ranges written beyond `position` and not hashed yet: start → length. */
  private readonly ahead = new Map<number, number>()
  /** End of the range being read back, 0 when none is. */
  private readingEnd = 0
  /** A range was written twice, overlapped, or could not be read back: no digest for this file. */
  private broken = false
  private digest: string | undefined
  /** The final check waits: read everything from the position on, written here or not. */
  private completing: ((sha256: string | undefined) => void) | undefined
  /** Reused while read-backs follow each other: one is in flight at a time, and hashing copies nothing. */
  private scratch: Buffer | undefined

  constructor (
    readonly length: number,
    private readonly readBack: ReadBack,
    private readonly onDigest: (sha256: string) => void
  ) {}

  /** `bytes` were written at `position`; they may be hashed now, before the caller reuses them. */
  wrote (position: number, bytes: Uint8Array): void {
    if (this.broken || this.digest !== undefined || this.completing !== undefined) return
    if (position === this.position && this.readingEnd === 0) {
      this.hash.update(bytes)
      this.position += bytes.length
      this.next()
      return
    }
    this.wroteRange(position, bytes.length)
  }

  /** `length` bytes were written at `position` from a buffer no longer at hand (read back later). */
  wroteRange (position: number, length: number): void {
    if (this.broken || this.digest !== undefined) return
    // A range written again (the same start), into what is hashed or being read back, or while
    // the final check completes the digest would make it differ from the file: give up on it. A
    // store's ranges are pieces of one torrent, so two different starts never overlap.
    if (this.completing !== undefined || position < Math.max(this.position, this.readingEnd) || this.ahead.has(position) || position + length > this.length) {
      this.abandon()
      return
    }
    this.ahead.set(position, length)
    this.next()
  }

  /**
   * The final check: the digest of the whole file, reading from the position to the end (at most
   * `maxRead` bytes, else undefined: the caller reads the file on the hashing thread instead).
   */
  complete (maxRead: number): Promise<string | undefined> {
    if (this.digest !== undefined) return Promise.resolve(this.digest)
    if (this.broken || this.completing !== undefined || this.length - this.position > maxRead) {
      this.abandon()
      return Promise.resolve(undefined)
    }
    return new Promise(resolve => {
      this.completing = resolve
      this.ahead.clear()
      this.next()
    })
  }

  /** The store stops, or the digest cannot be right: no digest, and a waiting final check reads itself. */
  abandon (): void {
    this.broken = true
    this.ahead.clear()
    this.scratch = undefined
    const waiting = this.completing
    this.completing = undefined
    waiting?.(undefined)
  }

  private next (): void {
    if (this.broken || this.digest !== undefined || this.readingEnd !== 0) return
    if (this.position === this.length) {
      this.digest = this.hash.digest('hex')
      this.scratch = undefined
      this.onDigest(this.digest)
      const waiting = this.completing
      this.completing = undefined
      waiting?.(this.digest)
      return
    }
    let length = 0
    if (this.completing !== undefined) length = Math.min(READ_CHUNK, this.length - this.position)
    else {
      for (let run = this.ahead.get(this.position); run !== undefined && (length === 0 || length + run <= READ_CHUNK); run = this.ahead.get(this.position + length)) {
        this.ahead.delete(this.position + length)
        length += run
      }
      // Nothing to read now: the buffer goes, so files of a folder waiting for their next piece
      // hold none (one was kept per file while its reads followed each other).
      if (length === 0) { this.scratch = undefined; return }
    }
    if (this.scratch === undefined || this.scratch.length < length) this.scratch = Buffer.allocUnsafe(length)
    const into = this.scratch
    this.readingEnd = this.position + length
    this.readBack(this.position, length, into, err => {
      this.readingEnd = 0
      if (this.broken) return
      if (err !== null) { this.abandon(); return }
      this.hash.update(into.subarray(0, length))
      this.position += length
      this.next()
    })
  }
}
