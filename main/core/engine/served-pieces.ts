// The few whole pieces an origin is serving, in buffers it reuses. Each piece served from a
// person's own files is read whole and checked against its SHA-1 (source-guard.ts), and peers then
// ask for it 16 KiB at a time. WebTorrent's cache-chunk-store kept the last pieces read in fresh
// buffers: a 2 MiB piece stayed cached past a few scavenges, so its buffer died in the old
// generation, and the external memory those dead buffers held made V8 start a mark-compact every
// ~25 MB served (4.3 a second at 100 MB/s, ~100 ms of main-thread GC pause a second, pauses up to
// 40 ms+ on a loaded machine). Here an evicted piece's buffer is read into again, and a caller gets
// a copy of the block it asked for (short-lived: it dies young), never a view of a buffer that
// will be overwritten.
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'

/** Reads and checks the whole piece into `into` (or into a buffer of its own, which it returns). */
export type PieceLoader = (into: Uint8Array) => Promise<Result<Uint8Array>>

type Waiter = (r: Result<Uint8Array>) => void

export class ServedPieces {
  /** Cached pieces by index; Map order is least recently used first. */
  private readonly cache = new Map<number, Uint8Array>()
  private readonly loading = new Map<number, Waiter[]>()
  private readonly free: Uint8Array[] = []
  private closed = false

  /** `slots`: pieces kept (each one piece long). */
  constructor (private readonly slots: number) {}

  /**
   * A copy of bytes [offset, offset + length) of piece `index` (`pieceLength` bytes long): from the
   * cache, or once `load` has read it (concurrent asks for one piece share one load).
   */
  get (index: number, pieceLength: number, offset: number, length: number, load: PieceLoader, cb: (r: Result<Uint8Array>) => void): void {
    const cached = this.cache.get(index)
    if (cached !== undefined) {
      this.cache.delete(index)
      this.cache.set(index, cached)
      const copy = Buffer.copyBytesFrom(cached, offset, length)
      queueMicrotask(() => cb(ok(copy)))
      return
    }
    const waiter: Waiter = r => cb(r.ok ? ok(Buffer.copyBytesFrom(r.value, offset, length)) : r)
    const waiting = this.loading.get(index)
    if (waiting !== undefined) { waiting.push(waiter); return }
    const waiters = [waiter]
    this.loading.set(index, waiters)
    const into = this.take(pieceLength)
    const settle = (r: Result<Uint8Array>): void => {
      this.loading.delete(index)
      if (r.ok) this.keep(index, r.value)
      // After a failure the buffer is dropped, not reused: a read may still be landing in it.
      if (r.ok && r.value !== into) this.giveBack(into)
      for (const w of waiters) w(r)
    }
    load(into).then(settle, (err: unknown) => settle(fail('EIO', errorMessage(err))))
  }

  /** Forgets every cached piece (the store closed, or its source changed). */
  clear (): void {
    for (const buf of this.cache.values()) this.giveBack(buf)
    this.cache.clear()
  }

  close (): void {
    this.closed = true
    this.cache.clear()
    this.free.length = 0
  }

  private keep (index: number, buf: Uint8Array): void {
    if (this.closed || this.slots <= 0) return this.giveBack(buf)
    this.cache.set(index, buf)
    while (this.cache.size > this.slots) {
      const oldest = this.cache.keys().next()
      if (oldest.done === true) break
      const evicted = this.cache.get(oldest.value)
      this.cache.delete(oldest.value)
      if (evicted !== undefined) this.giveBack(evicted)
    }
  }

  private take (length: number): Uint8Array {
    const k = this.free.findIndex(b => b.byteLength === length)
    if (k < 0) return new Uint8Array(length)
    const [buf] = this.free.splice(k, 1)
    return buf ?? new Uint8Array(length)
  }

  /** Keeps a buffer nothing reads any more for the next load (at most `slots` + 1 of them). */
  private giveBack (buf: Uint8Array): void {
    if (this.closed || this.free.length > this.slots) return
    this.free.push(buf)
  }
}
