// A thread (or a few) per process that runs the file store's batches of small-file I/O (disk-worker.ts),
// like a BitTorrent client's disk thread. Started on first use; keeps the process alive only while
// a batch is in flight; if it dies, the batches in flight fail and the next one starts a new thread.
import type { Worker } from 'node:worker_threads'
import { startSiblingWorker } from '../hashing/sibling-worker.js'
import type { DiskReply, DiskRequest, DiskSegment, DiskStamp } from './disk-protocol.js'

type Done = (err: NodeJS.ErrnoException | null, data?: Buffer, stamps?: readonly DiskStamp[], digests?: ReadonlyArray<string | null>, sha1?: Buffer) => void

export class DiskThread {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Done>()
  private nextId = 1

  /** Writes `data`'s bytes to the segments (bufOffset into `data`); the bytes are copied first. */
  write (segments: readonly DiskSegment[], data: Uint8Array, done: (err: NodeJS.ErrnoException | null, digests?: ReadonlyArray<string | null>) => void): void {
    // A copy in its own ArrayBuffer, transferred: the caller may reuse `data` at once. (Not
    // data.slice(): on a Buffer that is a view of the same memory, and transferring it would
    // detach the caller's buffer.)
    const copy = new Uint8Array(data.byteLength)
    copy.set(data)
    this.send({ id: this.nextId++, op: 'write', segments, data: copy.buffer }, [copy.buffer], (err, _data, _stamps, digests) => done(err, digests))
  }

  /** Reads `length` bytes from the segments (bufOffset into the result). */
  read (segments: readonly DiskSegment[], length: number, done: (err: NodeJS.ErrnoException | null, data?: Buffer, sha1?: Buffer) => void, withSha1 = false): void {
    this.send({ id: this.nextId++, op: 'read', segments, length, sha1: withSha1 }, [], (err, data, _stamps, _digests, sha1) => done(err, data, sha1))
  }

  /** Size and mtime of each path (null where stat fails), in one batch. */
  stat (paths: readonly string[]): Promise<readonly DiskStamp[]> {
    return new Promise((resolve, reject) => {
      this.send({ id: this.nextId++, op: 'stat', paths }, [], (err, _data, stamps) => err ? reject(err) : resolve(stamps ?? []))
    })
  }

  private send (req: DiskRequest, transfer: ArrayBuffer[], done: Done): void {
    let w: Worker
    try {
      w = this.start()
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      queueMicrotask(() => done(e))
      return
    }
    this.pending.set(req.id, done)
    if (this.pending.size === 1) w.ref()
    w.postMessage(req, transfer)
  }

  private start (): Worker {
    if (this.worker) return this.worker
    const w = startSiblingWorker(import.meta.url, 'disk-worker', { execArgv: [] })
    w.unref()
    w.on('message', (reply: DiskReply) => {
      const done = this.pending.get(reply.id)
      if (!done) return
      this.pending.delete(reply.id)
      if (this.pending.size === 0) w.unref()
      if (reply.error) return done(Object.assign(new Error(reply.error.message), reply.error))
      done(null, reply.data ? Buffer.from(reply.data) : undefined, reply.stamps, reply.digests, reply.sha1 ? Buffer.from(reply.sha1) : undefined)
    })
    const fail = (err: Error): void => {
      if (this.worker !== w) return
      this.worker = undefined
      const all = [...this.pending.values()]
      this.pending.clear()
      for (const done of all) done(Object.assign(new Error(`the disk thread stopped: ${err.message}`), { code: 'EIO' }))
    }
    w.on('error', fail)
    w.on('exit', code => fail(new Error(`exit code ${code}`)))
    this.worker = w
    return w
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
