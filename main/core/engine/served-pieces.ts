// The few whole pieces a seeder is serving from a person's files, in buffers it reuses. Each such
// piece is read whole and checked against its SHA-1 (source-guard.ts), then peers ask for blocks
// of it. WebTorrent's cache kept the last pieces read in fresh buffers: a 2 MiB piece stayed cached
// past a few scavenges, so its buffer died in the old generation, and the external memory of those
// dead buffers made V8 start a mark-compact every ~25 MB served (4–6 a second, ~100 ms of the main
// thread a second). Here a block is handed out as a view of the cached piece, and the piece's
// buffer is read into again only once it has left the cache and every view handed out of it was
// released: the wire releases a view when its bytes were copied into a batch or its socket write
// completed (patched bittorrent-protocol, `release`). A view nobody releases keeps its buffer out
// of the pool for good, and the collector takes it as before.
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'

/** A block handed out: a view of a cached piece, to be released once its bytes are no longer read. */
export type LentBlock = Buffer & { release?: () => void }

/** Reads and checks the whole piece into `into` (or into a buffer of its own, which it returns). */
export type PieceLoader = (into: Buffer) => Promise<Result<Buffer>>

type Waiter = (r: Result<Buffer>) => void

interface Slot {
  readonly buf: Buffer
  /** Views handed out and not yet released. */
  lent: number
  cached: boolean
}

export class ServedPieces {
  /** Cached pieces by index; Map order is least recently used first. */
  private readonly cache = new Map<number, Slot>()
  private readonly loading = new Map<number, Waiter[]>()
  private readonly free: Buffer[] = []
  private closed = false

  /** `slots`: pieces kept (each one piece long). */
  constructor (private readonly slots: number) {}

  /**
   * Bytes [offset, offset + length) of piece `index` (`pieceLength` bytes long), as a view to
   * release: from the cache, or once `load` has read it (concurrent asks share one load).
   */
  get (index: number, pieceLength: number, offset: number, length: number, load: PieceLoader, cb: (r: Result<LentBlock>) => void): void {
    const cached = this.cache.get(index)
    if (cached !== undefined) {
      this.cache.delete(index)
      this.cache.set(index, cached)
      const view = this.lend(cached, offset, length)
      queueMicrotask(() => cb(ok(view)))
      return
    }
    const waiter: Waiter = r => {
      const slot = r.ok ? this.cache.get(index) : undefined
      cb(!r.ok ? r : ok(slot !== undefined && slot.buf === r.value ? this.lend(slot, offset, length) : Buffer.from(r.value.subarray(offset, offset + length))))
    }
    const waiting = this.loading.get(index)
    if (waiting !== undefined) { waiting.push(waiter); return }
    const waiters = [waiter]
    this.loading.set(index, waiters)
    const into = this.take(pieceLength)
    const settle = (r: Result<Buffer>): void => {
      this.loading.delete(index)
      if (r.ok) this.keep(index, r.value)
      // After a failure the buffer is dropped, not reused: a read may still be landing in it.
      if (r.ok && r.value !== into) this.giveBack(into)
      for (const w of waiters) w(r)
    }
    load(into).then(settle, (err: unknown) => settle(fail('EIO', errorMessage(err))))
  }

  /** Forgets every cached piece (the source changed): buffers still lent go back when released. */
  clear (): void {
    for (const slot of this.cache.values()) this.uncache(slot)
    this.cache.clear()
  }

  close (): void {
    this.closed = true
    this.cache.clear()
    this.free.length = 0
  }

  /** Buffers waiting to be read into (for tests and diagnostics). */
  get freeBuffers (): number { return this.free.length }

  private lend (slot: Slot, offset: number, length: number): LentBlock {
    const view: LentBlock = slot.buf.subarray(offset, offset + length)
    slot.lent++
    let released = false
    view.release = () => {
      if (released) return
      released = true
      slot.lent--
      if (slot.lent === 0 && !slot.cached) this.giveBack(slot.buf)
    }
    return view
  }

  private keep (index: number, buf: Buffer): void {
    const slot: Slot = { buf, lent: 0, cached: true }
    if (this.closed || this.slots <= 0) return this.uncache(slot)
    this.cache.set(index, slot)
    while (this.cache.size > this.slots) {
      const oldest = this.cache.keys().next()
      if (oldest.done === true) break
      const evicted = this.cache.get(oldest.value)
      this.cache.delete(oldest.value)
      if (evicted !== undefined) this.uncache(evicted)
    }
  }

  private uncache (slot: Slot): void {
    slot.cached = false
    if (slot.lent === 0) this.giveBack(slot.buf)
  }

  private take (length: number): Buffer {
    const k = this.free.findIndex(b => b.byteLength === length)
    if (k < 0) return Buffer.allocUnsafeSlow(length)
    const [buf] = this.free.splice(k, 1)
    return buf ?? Buffer.allocUnsafeSlow(length)
  }

  /** Keeps a buffer nothing reads any more for the next load (at most `slots` of them). */
  private giveBack (buf: Buffer): void {
    // Empty: its memory went to the disk thread, which read the piece into it (file-store.ts).
    if (this.closed || this.free.length >= this.slots || buf.byteLength === 0) return
    this.free.push(buf)
  }
}
