// A thread (or a few) per process that runs the file store's batches of small-file I/O (disk-worker.ts),
// like a BitTorrent client's disk thread. Started on first use; keeps the process alive only while
// a batch is in flight; if it dies, the batches in flight fail and the next one starts a new thread.
import { RequestThread } from '../hashing/request-thread.js'
import type { DiskReply, DiskRequest, DiskSegment, DiskStamp } from './disk-protocol.js'

type Done = (err: NodeJS.ErrnoException | null, data?: Buffer, stamps?: readonly DiskStamp[], digests?: ReadonlyArray<string | null>, sha1?: Buffer) => void

/** A request without its ticket, which the thread adds. */
type Unticketed<T> = T extends unknown ? Omit<T, 'ticket'> : never

export class DiskThread {
  private readonly thread = new RequestThread<DiskRequest, DiskReply, Done>(import.meta.url, 'disk-worker', {
    answered: (done, reply) => {
      if (reply.error) return done(Object.assign(new Error(reply.error.message), reply.error))
      done(null, reply.data ? Buffer.from(reply.data) : undefined, reply.stamps, reply.digests, reply.sha1 ? Buffer.from(reply.sha1) : undefined)
    },
    lost: (done, why) => done(Object.assign(new Error(`the disk thread stopped: ${why}`), { code: 'EIO' }))
  })

  /** Writes `data`'s bytes to the segments (bufOffset into `data`); the bytes are copied first. */
  write (segments: readonly DiskSegment[], data: Uint8Array, done: (err: NodeJS.ErrnoException | null, digests?: ReadonlyArray<string | null>) => void): void {
    // A copy in its own ArrayBuffer, transferred: the caller may reuse `data` at once. (Not
    // data.slice(): on a Buffer that is a view of the same memory, and transferring it would
    // detach the caller's buffer.)
    const copy = new Uint8Array(data.byteLength)
    copy.set(data)
    this.send({ op: 'write', segments, data: copy.buffer }, [copy.buffer], (err, _data, _stamps, digests) => done(err, digests))
  }

  /** Reads `length` bytes from the segments (bufOffset into the result). */
  read (segments: readonly DiskSegment[], length: number, done: (err: NodeJS.ErrnoException | null, data?: Buffer, sha1?: Buffer) => void, withSha1 = false): void {
    this.send({ op: 'read', segments, length, sha1: withSha1 }, [], (err, data, _stamps, _digests, sha1) => done(err, data, sha1))
  }

  /** Size and mtime of each path (null where stat fails), in one batch. */
  stat (paths: readonly string[]): Promise<readonly DiskStamp[]> {
    return new Promise((resolve, reject) => {
      this.send({ op: 'stat', paths }, [], (err, _data, stamps) => err ? reject(err) : resolve(stamps ?? []))
    })
  }

  private send (req: Unticketed<DiskRequest>, transfer: ArrayBuffer[], done: Done): void {
    const failure = this.thread.ask(ticket => ({ ...req, ticket }) as DiskRequest, done, transfer)
    if (failure !== undefined) queueMicrotask(() => done(Object.assign(new Error(`the disk thread did not start: ${failure}`), { code: 'EIO' })))
  }
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
