// A thread (or a few) per process that runs the file store's batches of small-file I/O (disk-worker.ts),
// like a BitTorrent client's disk thread. Started on first use; keeps the process alive only while
// a batch is in flight; if it dies, the batches in flight fail and the next one starts a new thread.
import { RequestThread } from '../hashing/request-thread.js'
import { isPageAligned } from './aligned-memory.js'
import type { DiskReply, DiskRequest, DiskSegment, DiskStamp } from './disk-protocol.js'

type Done = (err: NodeJS.ErrnoException | null, data?: Buffer, stamps?: readonly DiskStamp[], digests?: ReadonlyArray<string | null>, sha1?: Buffer) => void

/** A request without its ticket, which the thread adds. */
type Unticketed<T> = T extends unknown ? Omit<T, 'ticket'> : never

/**
 * Bytes of write buffers kept for reuse. A fresh buffer per batch cost a recipient of 50,000 small
 * files 1.1 s of its main thread for 400 MB (new memory is dear on these VMs: every page is
 * faulted in) and made garbage collections that external memory starts.
 */
const SPARE_BYTES = 16 * 1024 * 1024

export class DiskThread {
  /** Write buffers the thread handed back, for the next writes; `spareBytes` in all. */
  private readonly spare: ArrayBuffer[] = []
  private spareBytes = 0
  private readonly thread = new RequestThread<DiskRequest, DiskReply, Done>(import.meta.url, 'disk-worker', {
    answered: (done, reply) => {
      if (reply.returned) this.keepSpare(reply.returned)
      if (reply.error) return done(Object.assign(new Error(reply.error.message), reply.error))
      done(null, reply.data ? Buffer.from(reply.data) : undefined, reply.stamps, reply.digests, reply.sha1 ? Buffer.from(reply.sha1) : undefined)
    },
    lost: (done, why) => done(Object.assign(new Error(`the disk thread stopped: ${why}`), { code: 'EIO' }))
  })

  /** Write buffers kept for the next writes (for tests and diagnostics). */
  get spareBuffers (): number { return this.spare.length }

  /**
   * Writes `data`'s bytes to the segments (bufOffset into `data`). Shared memory (a received piece's
   * own buffer, page-aligned or not) is written where it is, and the caller keeps it unchanged until
   * `done`; other bytes are copied first.
   */
  write (segments: readonly DiskSegment[], data: Uint8Array, done: (err: NodeJS.ErrnoException | null, digests?: ReadonlyArray<string | null>) => void): void {
    if (data.buffer instanceof SharedArrayBuffer) {
      return this.send({ op: 'write', segments, data: data.buffer, dataOffset: data.byteOffset }, [], (err, _data, _stamps, digests) => done(err, digests))
    }
    const copy = this.copyOf(data)
    this.send({ op: 'write', segments, data: copy }, [copy], (err, _data, _stamps, digests) => done(err, digests))
  }

  /**
   * Writes `data` at `position` of `fd` (which the caller keeps open until `done`) in slices
   * (write-slice.ts), or through `directFd`, the same file opened with O_DIRECT, where aligned
   * (direct-io.ts). Shared memory is written where it is, and the caller keeps it unchanged until
   * `done` (page-aligned shared memory, aligned-memory.ts, also direct without a copy into the
   * thread's staging memory); other bytes are copied first, as in write().
   */
  writeAt (fd: number, position: number, data: Uint8Array, done: (err: NodeJS.ErrnoException | null) => void, directFd?: number): void {
    const direct = directFd === undefined ? {} : { directFd }
    if (data.buffer instanceof SharedArrayBuffer) {
      const aligned = directFd !== undefined && isPageAligned(data.buffer) ? { pageAligned: true } : {}
      return this.send({ op: 'write-at', fd, ...direct, ...aligned, position, data: data.buffer, bufOffset: data.byteOffset, length: data.byteLength }, [], err => done(err))
    }
    const copy = this.copyOf(data)
    this.send({ op: 'write-at', fd, ...direct, position, data: copy, bufOffset: 0, length: copy.byteLength }, [copy], err => done(err))
  }

  /**
   * Reads `length` bytes at `position` of `fd` through `directFd`, its O_DIRECT twin (both kept open
   * by the caller until `done`), where the file system takes it (direct-io.ts). `into`, as in read(),
   * is transferred and comes back as the result.
   */
  readAt (fd: number, directFd: number, position: number, length: number, done: (err: NodeJS.ErrnoException | null, data?: Buffer) => void, into?: Buffer): void {
    const lend = into !== undefined && ownsMemory(into) && into.byteLength === length ? into.buffer as ArrayBuffer : undefined
    this.send({ op: 'read-at', fd, directFd, position, length, ...(lend ? { into: lend } : {}) }, lend ? [lend] : [], (err, data) => done(err, data))
  }

  /**
   * `data`'s bytes in a buffer of their own (a spare one the thread handed back, if any), to
   * transfer: the caller may reuse `data` at once. (Not data.slice(): on a Buffer that is a view of
   * the same memory, and transferring it would detach the caller's buffer.)
   */
  private copyOf (data: Uint8Array): ArrayBuffer {
    const copy = new Uint8Array(this.takeSpare(data.byteLength) ?? new ArrayBuffer(data.byteLength))
    copy.set(data)
    return copy.buffer
  }

  /**
   * Reads `length` bytes from the segments (bufOffset into the result). `into`, a buffer of exactly
   * `length` bytes that owns its memory, is read into and comes back as the result: it is
   * transferred to the thread, so the caller's `into` is empty (detached) from then on.
   */
  read (segments: readonly DiskSegment[], length: number, done: (err: NodeJS.ErrnoException | null, data?: Buffer, sha1?: Buffer) => void, withSha1 = false, into?: Buffer): void {
    const lend = into !== undefined && ownsMemory(into) && into.byteLength === length ? into.buffer as ArrayBuffer : undefined
    this.send({ op: 'read', segments, length, sha1: withSha1, ...(lend ? { into: lend } : {}) }, lend ? [lend] : [], (err, data, _stamps, _digests, sha1) => done(err, data, sha1))
  }

  /** Size and mtime of each path (null where stat fails), in one batch. */
  stat (paths: readonly string[]): Promise<readonly DiskStamp[]> {
    return new Promise((resolve, reject) => {
      this.send({ op: 'stat', paths }, [], (err, _data, stamps) => err ? reject(err) : resolve(stamps ?? []))
    })
  }

  private takeSpare (length: number): ArrayBuffer | undefined {
    const k = this.spare.findIndex(b => b.byteLength === length)
    if (k < 0) return undefined
    const [buf] = this.spare.splice(k, 1)
    if (buf !== undefined) this.spareBytes -= buf.byteLength
    return buf
  }

  private keepSpare (buf: ArrayBuffer): void {
    if (this.spareBytes + buf.byteLength > SPARE_BYTES) return
    this.spare.push(buf)
    this.spareBytes += buf.byteLength
  }

  private send (req: Unticketed<DiskRequest>, transfer: ArrayBuffer[], done: Done): void {
    const failure = this.thread.ask(ticket => ({ ...req, ticket }) as DiskRequest, done, transfer)
    if (failure !== undefined) queueMicrotask(() => done(Object.assign(new Error(`the disk thread did not start: ${failure}`), { code: 'EIO' })))
  }
}

/** Whether `b` is the whole of its memory, so that transferring its ArrayBuffer gives exactly `b`. */
function ownsMemory (b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.buffer instanceof ArrayBuffer && b.buffer.byteLength === b.byteLength
}

/**
 * Disk threads per process (SWARMDROP_DISK_THREADS, default 1). Creating a file costs far more
 * than writing 8 KiB into it; a second thread overlapped creations a little (50,000 files: 4.4 s
 * against 5.4 s) but at 1.5x the CPU, spinning in the kernel, which the other processes of a
 * 2-core machine need more.
 */
const THREADS = Math.max(1, Math.min(8, Number(process.env['SWARMDROP_DISK_THREADS'] ?? 1) || 1))
const shared: DiskThread[] = []
let turn = 0

/** One of the process's disk threads (in turn): independent batches may run side by side. */
export function diskThread (): DiskThread {
  if (shared.length < THREADS) shared.push(new DiskThread())
  turn = (turn + 1) % shared.length
  return shared[turn] as DiskThread
}

/**
 * The disk thread that writes to descriptor `fd`: always the same one, so writes to one file run
 * one at a time in the order asked (concurrent buffered writes to one file only wait for each
 * other on its inode lock in the kernel, spinning: 2.5 of a recipient's 13 CPU-s per GiB on one
 * link through libuv's pool, session 19).
 */
export function diskThreadFor (fd: number): DiskThread {
  while (shared.length < THREADS) shared.push(new DiskThread())
  return shared[fd % shared.length] as DiskThread
}
