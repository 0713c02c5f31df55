// The SHA-256 of a file a receiver writes piece by piece, taken while it is written, so the final
// check (distributions/finish.ts) need not read the whole file back at the end: for a 20 GB image
// that read is the last 10–40 s of a download, and on one fast link about a fifth of the time.
// The hashing itself runs on the digest thread (hashing/digest-thread.ts); this class only decides
// what the thread hashes next, in file order:
// - a piece written where the digest stands, in shared memory (pieces of 1 MiB or more, see
//   piece-buffers.ts), is hashed in place as it is written (from one peer pieces come in order,
//   and from many roughly in order, a few dozen pieces apart: see the rarity map in patches/);
// - any other piece is remembered, and once the bytes before it are hashed the thread reads it
//   back (direct from the disk where it can: direct-io.ts), with its written neighbours, in reads
//   of up to READ_CHUNK.
// The final check completes the digest from its position if little is left, or reads the whole
// file on the hashing thread as before (a file resumed from an earlier run, whose old pieces this
// store never wrote).
import { digestThread, type DigestThread } from '../hashing/digest-thread.js'

/**
 * Bytes read back at a time: neighbouring ranges are read as one. Also the step in which the
 * final check completes a digest, one step in flight, so other files' steps are not held behind
 * hundreds of MB.
 */
const READ_CHUNK = 8 * 1024 * 1024
/**
 * Ranges written ahead are read back once this many bytes of them follow the position (or the
 * file's end does): one message per few MiB rather than per piece of 64–512 KiB.
 */
const MIN_READ = 4 * 1024 * 1024

export class RunningDigest {
  private readonly id: number | undefined
  /** Bytes [0, position) are sent to the thread, in order. */
  private position = 0
  /** Ranges written beyond `position` and not sent yet: start → length. */
  private readonly ahead = new Map<number, number>()
  /** Read-backs sent and not answered. */
  private reading = 0
  /** A range was written twice, overlapped, or could not be hashed: no digest for this file. */
  private broken = false
  private finishing = false
  private digest: string | undefined
  /** The final check waits: everything from the position on is read, written here or not. */
  private completing: ((sha256: string | undefined) => void) | undefined

  constructor (
    readonly length: number,
    private readonly path: string,
    private readonly onDigest: (sha256: string) => void,
    private readonly thread: DigestThread = digestThread()
  ) {
    this.id = thread.begin()
    if (this.id === undefined) this.broken = true
  }

  /**
   * `bytes` are being written at `position`. If they are where the digest stands and in shared
   * memory, the thread hashes them in place: true, and `hashed` is called once it has (the caller
   * keeps them unchanged until then, and calls abandon() if the write fails). Otherwise false: the
   * caller reports the range with wroteRange() once it is written.
   */
  writing (position: number, bytes: Uint8Array, hashed: () => void): boolean {
    const id = this.id
    if (id === undefined || this.broken || this.finishing || this.completing !== undefined) return false
    if (position !== this.position || this.ahead.has(position) || !(bytes.buffer instanceof SharedArrayBuffer) || position + bytes.length > this.length) return false
    this.position += bytes.length
    this.thread.update(id, bytes, error => {
      if (error !== undefined) this.abandon()
      hashed()
    })
    this.next()
    return true
  }

  /** `length` bytes were written at `position` (hashed later, read back from the file). */
  wroteRange (position: number, length: number): void {
    if (this.broken || this.digest !== undefined) return
    // A range written again (the same start), into what is already sent to the thread, or while
    // the final check completes the digest would make it differ from the file: give up on it. A
    // store's ranges are pieces of one torrent, so two different starts never overlap.
    if (this.finishing || this.completing !== undefined || position < this.position || this.ahead.has(position) || position + length > this.length) {
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
    if (!this.broken && this.id !== undefined) this.thread.drop(this.id)
    this.broken = true
    this.ahead.clear()
    const waiting = this.completing
    this.completing = undefined
    waiting?.(undefined)
  }

  private next (): void {
    const id = this.id
    if (id === undefined || this.broken || this.finishing) return
    for (;;) {
      if (this.position === this.length) { this.finish(id); return }
      let length = 0
      if (this.completing !== undefined) {
        if (this.reading > 0) return
        length = Math.min(READ_CHUNK, this.length - this.position)
      } else {
        let run = this.ahead.get(this.position)
        while (run !== undefined && length + run <= READ_CHUNK) {
          length += run
          run = this.ahead.get(this.position + length)
        }
        // The first range alone may be longer than a read (a piece of 16 MiB): read it whole.
        if (length === 0 && run !== undefined) length = run
        if (length === 0 || (length < MIN_READ && this.position + length < this.length)) return
        for (let at = this.position; at < this.position + length;) {
          const n = this.ahead.get(at) as number
          this.ahead.delete(at)
          at += n
        }
      }
      this.reading++
      this.thread.read(id, this.path, this.position, length, error => {
        this.reading--
        if (error !== undefined) this.abandon()
        else this.next()
      })
      this.position += length
    }
  }

  private finish (id: number): void {
    this.finishing = true
    this.thread.finish(id, (error, hex) => {
      if (this.broken) return
      if (error !== undefined || hex === undefined) { this.abandon(); return }
      this.digest = hex
      this.onDigest(hex)
      const waiting = this.completing
      this.completing = undefined
      waiting?.(hex)
    })
  }
}
