// The chunk store WebTorrent reads and writes pieces through. It maps the piece stream onto an
// explicit list of target files (so a recipient writes NAME.part/... and the origin serves the
// person's own files, opened read-only so a bug can never modify a source), and keeps at most
// MAX_OPEN descriptors open so a folder of thousands of files cannot exhaust them. A piece across
// several files (a folder of small files) is read or written as one batch on a disk thread
// (disk-thread.ts), which opens, writes or reads and closes each file with blocking calls and
// keeps no descriptor between batches. Pieces of one file are read through libuv's pool and
// written by that file's disk thread in slices, on a descriptor the store keeps. A receiver's store
// writes and reads those pieces with O_DIRECT where the file system takes it (direct-io.ts), so
// they do not pass through the page cache. An origin's
// store may carry a source guard: then every piece is read whole and checked against its hash
// before any of it is served, and nothing is served once a source file was found changed.
import { close, constants, existsSync, fstat, fstatSync, ftruncate, mkdir, open, read, rm } from 'node:fs'
import { dirname } from 'node:path'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { diskThread, diskThreadFor } from './disk-thread.js'
import { RunningDigest } from './running-digest.js'
import { ServedPieces } from './served-pieces.js'
import { SourceGuard, type ReadStamp, type SourceGuardSpec } from './source-guard.js'
import { forgetWritten, recordWritten, trackRunning, untrackRunning } from './written-digests.js'
import type { Callback, ChunkStore, ChunkStoreOptions } from './webtorrent-types.js'
import type { FileStoreTarget } from './file-store-target.js'

export type { FileStoreTarget } from './file-store-target.js'

export interface FileStoreOptions {
  /**
   * Where the pieces go: a list, or (for a magnet link, whose metadata arrives from a peer) a
   * function given the .torrent bytes that checks them and places the files, or refuses.
   */
  readonly targets: readonly FileStoreTarget[] | ((torrentFile: Uint8Array) => Result<readonly FileStoreTarget[]>)
  readonly readOnly: boolean
  /** Called (asynchronously) when `targets` refused the metadata; the store then refuses all I/O. */
  readonly onRefused?: (message: string) => void
  /** Observer for every failed disk operation (ENOSPC included), before WebTorrent sees it. */
  readonly onIoError?: (err: NodeJS.ErrnoException, op: 'read' | 'write') => void
  /** Serving a person's own files (the origin): watch them for changes while they are served. */
  readonly guard?: SourceGuardSpec
  /**
   * Called synchronously as a piece's writes are about to be issued, so the owner can note it
   * (a crash may then leave the piece whole on disk before anyone hears back: piece-journal.ts).
   */
  readonly onWriting?: (index: number) => void
  /**
   * Write and read a big file's pieces with O_DIRECT where the file system takes it (direct-io.ts).
   * Default: a store that writes (a receiver), which keeps it once its copy is served read-only.
   */
  readonly directIo?: boolean
}

/**
 * Whether this process may use O_DIRECT: Linux only (elsewhere O_DIRECT is not defined);
 * SWARMDROP_DIRECT_IO=0 turns it off (a file system that takes it badly, or a comparison).
 */
function directIoAllowed (): boolean {
  return typeof constants.O_DIRECT === 'number' && process.env['SWARMDROP_DIRECT_IO'] !== '0'
}

const MAX_OPEN = 128
/** Whole pieces a store guarded from the start keeps for serving. */
const SERVED_SLOTS = 8
/**
 * A range across this many files or more goes to the disk thread as one batch. One file's pieces
 * (the one-big-file case) keep the async path for reads, which overlap on libuv's pool; their
 * writes go to the file's disk thread (diskThreadFor), one at a time in slices (write-slice.ts).
 */
const BATCH_MIN_SEGMENTS = 2
/**
 * A guarded read of a piece this large from one file is also a batch of one: the disk thread reads
 * it and takes its SHA-1 (the guard's check), which on the main loop held it about 1.5 ms for each
 * 2 MiB piece served, a few hundred times a second on a busy origin. Smaller pieces hash in well
 * under a millisecond, where a hand-over costs more than it saves (as for received pieces,
 * piece-checker.ts).
 */
const GUARD_ON_THREAD_BYTES = 1024 * 1024

type Segment = [target: FileStoreTarget, fileOffset: number, bufOffset: number, length: number]

/** A file's descriptor, and its O_DIRECT twin where the store uses one and the file system took it. */
interface Descriptors { readonly fd: number; readonly direct: number | undefined }

interface OpenFile { fds: Promise<Descriptors>; users: number; lastUse: number; closeWhenIdle: boolean }

export function isFileStoreOptions (value: unknown): value is FileStoreOptions {
  if (typeof value !== 'object' || value === null) return false
  const targets = (value as { targets?: unknown }).targets
  return Array.isArray(targets) || typeof targets === 'function'
}

export class FileStore implements ChunkStore {
  readonly chunkLength: number
  private targets: readonly FileStoreTarget[]
  private readOnly: boolean
  private readonly onIoError: FileStoreOptions['onIoError']
  private readonly onWriting: FileStoreOptions['onWriting']
  /** Big files' pieces go through O_DIRECT descriptors (direct-io.ts). */
  private readonly direct: boolean
  private guard: SourceGuard | undefined
  private readonly totalLength: number
  private readonly open = new Map<string, OpenFile>()
  /** Files already grown to their final length (see presize). */
  private readonly sized = new Set<string>()
  /**
   * A download's folders that did not exist when the store was made (a fresh NAME.part): a file
   * in one of them exists only once this store wrote it (`written`), so a read of any other is
   * answered "missing" at once. WebTorrent's start-up check asks for every piece, and sending
   * each to the disk thread to fail there cost 1,563 round trips for 50,000 small files.
   */
  private absentDirs = new Set<string>()
  private readonly written = new Set<string>()
  private closed = false
  private refused: string | undefined
  /**
   * The pieces a store guarded from the start (the origin) serves, in reused buffers
   * (served-pieces.ts); the engine turns WebTorrent's own cache off for exactly those stores.
   */
  private readonly served: ServedPieces | undefined
  /**
   * SHA-256s of the files longer than a piece this store is writing, taken as they are written
   * (running-digest.ts), by path; a file's entry goes once its digest is recorded.
   */
  private readonly digests = new Map<string, RunningDigest>()
  /** Files a failed piece was written into: no running digest for them (see discard). */
  private readonly undigested = new Set<string>()

  constructor (chunkLength: number, opts: ChunkStoreOptions) {
    const own = opts.fileStore
    if (!isFileStoreOptions(own)) throw new Error('FileStore needs storeOpts.fileStore with targets')
    this.chunkLength = chunkLength
    this.readOnly = own.readOnly
    this.onIoError = own.onIoError
    this.onWriting = own.onWriting
    this.direct = (own.directIo ?? !own.readOnly) && directIoAllowed()
    let targets: readonly FileStoreTarget[] = []
    if (typeof own.targets === 'function') {
      const torrentFile = (opts.torrent as { torrentFile?: unknown } | undefined)?.torrentFile
      const placed = torrentFile instanceof Uint8Array ? own.targets(torrentFile) : undefined
      if (placed?.ok) targets = placed.value
      else {
        const refused = placed ? placed.error.message : 'no metadata to place the files by'
        this.refused = refused
        queueMicrotask(() => own.onRefused?.(refused))
      }
    } else {
      targets = own.targets
    }
    this.targets = targets.filter(t => t.length > 0)
    this.totalLength = targets.reduce((s, t) => s + t.length, 0)
    if (!this.readOnly && this.targets.length >= BATCH_MIN_SEGMENTS) {
      const dirs = new Set(this.targets.map(t => dirname(t.path)))
      for (const d of dirs) if (!existsSync(d)) this.absentDirs.add(d)
    }
    this.guard = own.guard ? new SourceGuard(own.guard) : undefined
    this.served = own.guard ? new ServedPieces(SERVED_SLOTS) : undefined
    this.guard?.start()
  }

  put (index: number, buf: Uint8Array, cb: Callback = noop): void {
    if (this.closed) return queueMicrotask(() => cb(new Error('Storage is closed')))
    if (this.refused !== undefined) { const why = this.refused; return queueMicrotask(() => cb(new Error(why))) }
    if (this.readOnly) return queueMicrotask(() => cb(new Error('this distribution is served read-only')))
    const start = index * this.chunkLength
    const segments = this.segmentsOf(start, buf.length)
    if (segments.length > 0) this.onWriting?.(index)
    const onDone = (err: NodeJS.ErrnoException | null): void => {
      if (err) this.onIoError?.(err, 'write')
      else if (this.absentDirs.size > 0) for (const [t] of segments) this.written.add(t.path)
      cb(err)
    }
    if (segments.length >= BATCH_MIN_SEGMENTS) {
      // A piece across several files: one batch on the disk thread (see disk-thread.ts). Files
      // within one piece are written whole or nearly so: only those longer than a piece, whose
      // pieces arrive in any order, are grown to their length first (see presize).
      const batch = segments.map(([t, fileOffset, bufOffset, length]) => ({
        path: t.path,
        fileOffset,
        bufOffset,
        length,
        presizeTo: t.length > this.chunkLength && !this.sized.has(t.path) ? t.length : 0,
        // A whole file: its SHA-256 from these (verified) bytes spares the final check a read.
        digest: fileOffset === 0 && length === t.length
      }))
      return diskThread().write(batch, buf, (err, digests) => {
        if (!err) {
          for (const [k, b] of batch.entries()) {
            if (b.presizeTo > 0) this.sized.add(b.path)
            const sha256 = digests?.[k]
            if (typeof sha256 === 'string' && !this.closed) recordWritten(b.path, b.length, sha256)
            else if (!b.digest) this.digestOf(segments[k]?.[0])?.wroteRange(b.fileOffset, b.length)
          }
        }
        onDone(err)
      })
    }
    this.eachSegment(segments, (target, fileOffset, bufOffset, length, done) => {
      this.withFd(target.path, (err, fd, release, directFd) => {
        if (err || fd === undefined) return done(err ?? new Error('no descriptor'))
        const write = (): void => {
          // A piece where the file's digest stands is hashed in place on the digest thread while
          // it is written (WebTorrent reuses its buffer once `done`, so both must have finished);
          // any other is read back by that thread once the bytes before it are hashed.
          const digest = this.digestOf(target)
          // Counted before asking, so a hash that settled at once could not end the write early.
          let pending = 2
          let error: NodeJS.ErrnoException | null = null
          const settle = (e: NodeJS.ErrnoException | null): void => {
            error ??= e
            if (--pending === 0) done(error)
          }
          const hashing = digest?.writing(fileOffset, buf.subarray(bufOffset, bufOffset + length), () => settle(null)) === true
          if (!hashing) pending--
          diskThreadFor(fd).writeAt(fd, fileOffset, buf.subarray(bufOffset, bufOffset + length), e => {
            release()
            // Hashed bytes that did not reach the file void the digest; an unhashed failed write
            // leaves it as it was (the piece is fetched and written again).
            if (e !== null) { if (hashing) digest?.abandon() } else if (!hashing) digest?.wroteRange(fileOffset, length)
            settle(e)
          }, directFd)
        }
        if (this.sized.has(target.path)) return write()
        // At the first write only: sized at open, a new file would have been read back whole
        // (zeros) and hashed by WebTorrent's start-up check instead of failing at once.
        presize(fd, target.length, () => { this.sized.add(target.path); write() })
      })
    }, onDone)
  }

  get (index: number, optsOrCb: { offset?: number; length?: number } | null | undefined | Callback<Uint8Array>, maybeCb?: Callback<Uint8Array>): void {
    // abstract-chunk-store allows get(index, cb); WebTorrent uses both forms.
    const opts = typeof optsOrCb === 'function' ? undefined : optsOrCb
    const cb = typeof optsOrCb === 'function' ? optsOrCb : maybeCb
    if (cb === undefined) return
    if (this.closed) return queueMicrotask(() => cb(new Error('Storage is closed')))
    if (this.refused !== undefined) { const why = this.refused; return queueMicrotask(() => cb(new Error(why))) }
    const pieceStart = index * this.chunkLength
    const pieceLength = Math.min(this.chunkLength, this.totalLength - pieceStart)
    const offset = opts?.offset ?? 0
    const length = opts?.length ?? pieceLength - offset
    if (pieceLength <= 0 || offset < 0 || length < 0 || offset + length > pieceLength) {
      return queueMicrotask(() => cb(new Error(`read outside piece ${index}`)))
    }
    const guard = this.guard
    if (guard === undefined) return this.readRange(pieceStart + offset, length, cb)
    // A piece already read and checked is served from memory only while the source still matches.
    const changed = guard.changed
    if (changed !== undefined) return queueMicrotask(() => cb(Object.assign(new Error(changed), { code: 'source-changed' })))
    const answer = (block: Result<Buffer>): void => {
      if (!block.ok) return cb(Object.assign(new Error(block.error.message), { code: block.error.code }))
      cb(null, block.value)
    }
    const served = this.served
    if (served !== undefined) return served.get(index, pieceLength, offset, length, into => this.guardedRead(guard, index, pieceStart, pieceLength, into), answer)
    // Guarded later (a verified copy): WebTorrent's cache above keeps the pieces; each read is its own.
    this.guardedRead(guard, index, pieceStart, pieceLength, Buffer.allocUnsafe(pieceLength))
      .then(whole => answer(whole.ok ? ok(offset === 0 && length === pieceLength ? whole.value : whole.value.subarray(offset, offset + length)) : whole), (err: unknown) => answer(fail('EIO', errorMessage(err))))
  }

  /**
   * The whole piece, only if its files' stamps still match and its bytes still hash right; the
   * caller slices the block it was asked for. WebTorrent's cache asks for whole pieces anyway.
   */
  private async guardedRead (guard: SourceGuard, index: number, pieceStart: number, pieceLength: number, into: Buffer): Promise<Result<Buffer>> {
    const changedBefore = guard.changed ?? await guard.beforeRead(index)
    if (changedBefore !== undefined) return fail('source-changed', changedBefore)
    // A piece checked by its file's ctime needs no SHA-1 from the disk thread, only a stamp after.
    const byCtime = guard.ctimeFileNow(index) ?? await guard.ctimeFileOf(index)
    const read = await new Promise<{ err: NodeJS.ErrnoException | null, buf?: Buffer, sha1?: Buffer }>(resolve => this.readRange(pieceStart, pieceLength, (err, buf, sha1) => resolve({ err: err as NodeJS.ErrnoException | null, ...(buf ? { buf } : {}), ...(sha1 ? { sha1 } : {}) }), byCtime === undefined, into))
    if (read.err || !read.buf) {
      const changed = await guard.afterReadError(index)
      if (changed !== undefined) return fail('source-changed', changed)
      return fail(read.err?.code ?? 'EIO', read.err?.message ?? `cannot read piece ${index}`)
    }
    const after = byCtime !== undefined ? await this.stampAfterRead(byCtime.path) : undefined
    const bad = await guard.verify(index, read.buf, read.sha1, after)
    return bad === undefined ? ok(read.buf) : fail('source-changed', bad)
  }

  /**
   * The file's size, mtime and ctime now, through the descriptor the read used; undefined if it
   * cannot be had. A blocking fstat: only files on local file systems are checked this way
   * (ctime-trust.ts), where it answers from the inode in memory in microseconds, while a trip
   * through libuv's pool cost more than the rest of serving the piece.
   */
  private stampAfterRead (path: string): Promise<ReadStamp | undefined> {
    return new Promise(resolve => this.withFd(path, (err, fd, release) => {
      if (err || fd === undefined) return resolve(undefined)
      try {
        const st = fstatSync(fd)
        resolve({ size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs })
      } catch {
        resolve(undefined)
      } finally {
        release()
      }
    }))
  }

  /**
   * `withSha1`: a batch read also hashes the bytes on the disk thread (the guard's check).
   * `into`: where the read goes (a batch's into is transferred to the disk thread and comes back
   * as the result, leaving the caller's `into` empty).
   */
  private readRange (start: number, length: number, cb: (err: NodeJS.ErrnoException | null, out?: Buffer, sha1?: Buffer) => void, withSha1 = false, into?: Buffer): void {
    const onDone = (err: NodeJS.ErrnoException | null, out?: Buffer, sha1?: Buffer): void => {
      if (err) {
        if (err.code !== 'ENOENT') this.onIoError?.(err, 'read')
        return cb(err)
      }
      cb(null, out, sha1)
    }
    const segments = this.segmentsOf(start, length)
    const guardOnThread = withSha1 && !this.direct && length >= GUARD_ON_THREAD_BYTES
    if (segments.length >= BATCH_MIN_SEGMENTS || guardOnThread) {
      const missing = this.absentDirs.size > 0 ? segments.find(([t]) => this.absentDirs.has(dirname(t.path)) && !this.written.has(t.path)) : undefined
      if (missing !== undefined) return queueMicrotask(() => cb(Object.assign(new Error(`${missing[0].path} is not written yet`), { code: 'ENOENT' })))
      const batch = segments.map(([t, fileOffset, bufOffset, segLength]) => ({ path: t.path, fileOffset, bufOffset, length: segLength, presizeTo: 0 }))
      return diskThread().read(batch, length, onDone, withSha1, into)
    }
    const out = into !== undefined && into.byteLength === length ? into : Buffer.allocUnsafe(length)
    const only = segments.length === 1 ? segments[0] : undefined
    if (only !== undefined && this.direct) {
      // Through the file's disk thread, direct (direct-io.ts): behind the writes asked before it.
      const [target, fileOffset] = only
      return this.withFd(target.path, (err, fd, release, directFd) => {
        if (err || fd === undefined) return onDone(err ?? new Error('no descriptor'))
        if (directFd === undefined) return readFully(fd, out, 0, length, fileOffset, e => { release(); onDone(e, out) })
        diskThreadFor(fd).readAt(fd, directFd, fileOffset, length, (e, data) => { release(); onDone(e, data) }, out)
      })
    }
    this.eachSegment(segments, (target, fileOffset, bufOffset, segLength, done) => {
      this.withFd(target.path, (err, fd, release) => {
        if (err || fd === undefined) return done(err ?? new Error('no descriptor'))
        readFully(fd, out, bufOffset, segLength, fileOffset, e => { release(); done(e) })
      })
    }, err => onDone(err, out))
  }

  /**
   * Serves the same bytes from new paths, read-only from now on. Called synchronously right after
   * the finished NAME.part was renamed, so no operation can open the old path in between;
   * descriptors already open keep pointing at the same (renamed) files.
   */
  retarget (targets: readonly FileStoreTarget[]): void {
    this.targets = targets.filter(t => t.length > 0)
    this.readOnly = true
    this.abandonDigests()
    this.absentDirs = new Set()
    this.written.clear()
    const all = [...this.open.values()]
    this.open.clear()
    for (const f of all) this.retire(f)
  }

  /** Guards the files from now on (a recipient's copy, once verified and renamed); replaces a guard. */
  watchSource (guard: SourceGuardSpec): void {
    this.guard?.stop()
    this.served?.clear()
    this.guard = this.closed ? undefined : new SourceGuard(guard)
    this.guard?.start()
  }

  close (cb: Callback = noop): void {
    if (this.closed) return queueMicrotask(() => cb(null))
    this.closed = true
    this.abandonDigests()
    this.guard?.stop()
    this.served?.close()
    const all = [...this.open.values()]
    this.open.clear()
    for (const f of all) this.retire(f)
    queueMicrotask(() => cb(null))
  }

  destroy (cb: Callback = noop): void {
    this.close(() => {
      if (this.readOnly) return cb(null)
      forgetWritten(this.targets.map(t => t.path))
      Promise.allSettled(this.targets.map(t => new Promise<void>(resolve => rm(t.path, { force: true }, () => resolve()))))
        .then(() => cb(null), () => cb(null))
    })
  }

  /**
   * Piece `index` was written and then failed its SHA-1 (a piece is written while it is hashed:
   * webtorrent's patched torrent.js). No digest of the files it touches may come from what was
   * written: their running digests are dropped, and none is taken again; a digest recorded from
   * those bytes is forgotten. The final check then reads those files.
   */
  discard (index: number): void {
    const start = index * this.chunkLength
    const length = Math.max(0, Math.min(this.chunkLength, this.totalLength - start))
    const paths = this.segmentsOf(start, length).map(([t]) => t.path)
    for (const path of paths) {
      this.undigested.add(path)
      this.digests.get(path)?.abandon()
    }
    forgetWritten(paths)
  }

  /** The running SHA-256 of a file longer than a piece that this store writes; made at its first write. */
  private digestOf (t: FileStoreTarget | undefined): RunningDigest | undefined {
    if (t === undefined || this.readOnly || this.closed || t.length <= this.chunkLength || this.undigested.has(t.path)) return undefined
    const known = this.digests.get(t.path)
    if (known !== undefined) return known
    const made = new RunningDigest(t.length, t.path, sha256 => {
      this.digests.delete(t.path)
      untrackRunning(t.path, made)
      if (!this.closed) recordWritten(t.path, t.length, sha256)
    })
    this.digests.set(t.path, made)
    trackRunning(t.path, made)
    return made
  }

  private abandonDigests (): void {
    for (const [path, d] of this.digests) {
      d.abandon()
      untrackRunning(path, d)
    }
    this.digests.clear()
  }

  /** The file segments of a byte range: [target, offset in the file, offset in the range, length]. */
  private segmentsOf (start: number, length: number): Segment[] {
    const end = start + length
    const segments: Segment[] = []
    for (let i = this.firstTargetAt(start); i < this.targets.length; i++) {
      const t = this.targets[i]
      if (t === undefined || t.offset >= end) break
      const from = Math.max(start, t.offset)
      const to = Math.min(end, t.offset + t.length)
      if (to > from) segments.push([t, from - t.offset, from - start, to - from])
    }
    return segments
  }

  /** Calls `fn` for every segment, in parallel; `done` once all finish. */
  private eachSegment (
    segments: readonly Segment[],
    fn: (t: FileStoreTarget, fileOffset: number, bufOffset: number, length: number, done: (err: NodeJS.ErrnoException | null) => void) => void,
    done: (err: NodeJS.ErrnoException | null) => void
  ): void {
    if (segments.length === 0) return queueMicrotask(() => done(Object.assign(new Error('range outside the files'), { code: 'ERANGE' })))
    let pending = segments.length
    let failed = false
    for (const [t, fileOffset, bufOffset, segLength] of segments) {
      fn(t, fileOffset, bufOffset, segLength, err => {
        if (failed) return
        if (err) { failed = true; return done(err) }
        if (--pending === 0) done(null)
      })
    }
  }

  private firstTargetAt (position: number): number {
    let lo = 0
    let hi = this.targets.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      const t = this.targets[mid]
      if (t !== undefined && t.offset <= position) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /**
   * Lends a descriptor for one I/O operation; `release` must be called when it completes, and a
   * descriptor is closed only when nobody holds it (closing under an in-flight read could let the
   * number be reused by another file).
   */
  private withFd (path: string, cb: (err: NodeJS.ErrnoException | null, fd: number | undefined, release: () => void, directFd?: number) => void): void {
    let entry = this.open.get(path)
    if (!entry) {
      this.evictIdle()
      entry = { fds: this.openFile(path), users: 0, lastUse: 0, closeWhenIdle: false }
      this.open.set(path, entry)
    }
    const e = entry
    e.users++
    e.lastUse = performance.now()
    const release = (): void => {
      e.users--
      if (e.users === 0 && e.closeWhenIdle) e.fds.then(closeQuietly, noop)
    }
    e.fds.then(fds => cb(null, fds.fd, release, fds.direct), (err: NodeJS.ErrnoException) => {
      if (this.open.get(path) === e) this.open.delete(path) // let a later call retry
      release()
      cb(err, undefined, noop)
    })
  }

  private retire (f: OpenFile): void {
    f.closeWhenIdle = true
    if (f.users === 0) f.fds.then(closeQuietly, noop)
  }

  private openFile (path: string): Promise<Descriptors> {
    const mode = this.readOnly ? constants.O_RDONLY : constants.O_RDWR
    const opened = new Promise<number>((resolve, reject) => {
      if (this.readOnly) {
        open(path, mode, (err, fd) => err ? reject(err) : resolve(fd))
        return
      }
      mkdir(dirname(path), { recursive: true }, mkErr => {
        if (mkErr) return reject(mkErr)
        // O_CREAT without O_TRUNC: resuming must keep what earlier runs wrote.
        open(path, mode | constants.O_CREAT, 0o644, (err, fd) => err ? reject(err) : resolve(fd))
      })
    })
    if (!this.direct) return opened.then(fd => ({ fd, direct: undefined }))
    // The twin is opened once the file exists; a file system that refuses O_DIRECT (EINVAL) keeps
    // the page cache for this file.
    return opened.then(fd => new Promise<Descriptors>(resolve => {
      open(path, mode | constants.O_DIRECT, (err, direct) => resolve({ fd, direct: err ? undefined : direct }))
    }))
  }

  private evictIdle (): void {
    if (this.open.size < MAX_OPEN) return
    let oldest: [string, OpenFile] | undefined
    for (const item of this.open) {
      if (item[1].users === 0 && (oldest === undefined || item[1].lastUse < oldest[1].lastUse)) oldest = item
    }
    if (!oldest) return
    this.open.delete(oldest[0])
    this.retire(oldest[1])
  }
}

function readFully (fd: number, buf: Buffer, bufOffset: number, length: number, position: number, done: (err: NodeJS.ErrnoException | null) => void): void {
  read(fd, buf, bufOffset, length, position, (err, got) => {
    if (err) return done(err)
    if (got === 0) return done(Object.assign(new Error('file is shorter than expected'), { code: 'ENOENT' }))
    if (got < length) return readFully(fd, buf, bufOffset + got, length - got, position + got, done)
    done(null)
  })
}

/**
 * Grows a regular file being downloaded to its final length at once (sparse: no disk space is
 * taken). Pieces arrive in random order; each write past the end moved the end of file, and
 * concurrent writes doing so contended for the inode (measured: 1.1 s of system time per 256 MiB,
 * against 0.1 s into a file of its final size). Never shrinks a file. Best effort: where it fails
 * (a device, a file system without sparse files), the writes still go where they belong and
 * report their own errors (a full disk included).
 */
function presize (fd: number, length: number, done: () => void): void {
  fstat(fd, (err, st) => {
    if (err || !st.isFile() || st.size >= length) return done()
    ftruncate(fd, length, () => done())
  })
}

function closeQuietly (fds: Descriptors): void {
  close(fds.fd, noop)
  if (fds.direct !== undefined) close(fds.direct, noop)
}
function noop (): void {}
