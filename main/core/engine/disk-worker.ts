// The disk thread's worker: runs one batch of file segments at a time with blocking calls, so a
// piece that spans dozens of small files costs one message each way instead of an open, a write
// (or read) and a close each going through libuv's pool and a callback on the main thread. From
// the page cache each of those calls takes a few microseconds here. No descriptor it opens outlives
// a batch: the main thread may rename or remove the files at any moment between batches. It also
// writes a big file's pieces on the descriptor the main thread's store keeps open for it (write-at),
// and a receiver's reads of them (read-at), direct where it can (direct-io.ts).
import { createHash } from 'node:crypto'
import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { parentPort } from 'node:worker_threads'
import type { DiskError, DiskReply, DiskRequest, DiskSegment, DiskStamp } from './disk-protocol.js'
import { readDirect, writeDirect } from './direct-io.js'
import { writeInSlices } from './write-slice.js'

function toError (err: unknown): DiskError {
  const e = err as NodeJS.ErrnoException
  return {
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.errno === 'number' ? { errno: e.errno } : {}),
    ...(typeof e?.syscall === 'string' ? { syscall: e.syscall } : {}),
    ...(typeof e?.path === 'string' ? { path: e.path } : {})
  }
}

function openForWrite (path: string): number {
  // O_CREAT without O_TRUNC: resuming must keep what earlier runs wrote.
  const flags = constants.O_WRONLY | constants.O_CREAT
  try {
    return openSync(path, flags, 0o644)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    mkdirSync(dirname(path), { recursive: true })
    return openSync(path, flags, 0o644)
  }
}

function writeSegment (s: DiskSegment, buf: Uint8Array): void {
  const fd = openForWrite(s.path)
  try {
    if (s.presizeTo > 0) {
      // Best effort, as in the store's async path: a file system without sparse files still
      // gets every byte where it belongs, and reports its own errors on write.
      try {
        if (fstatSync(fd).size < s.presizeTo) ftruncateSync(fd, s.presizeTo)
      } catch { /* see above */ }
    }
    writeInSlices(fd, buf, s.bufOffset, s.length, s.fileOffset, writeSync)
  } finally {
    closeSync(fd)
  }
}

function readSegment (s: DiskSegment, out: Uint8Array): void {
  const fd = openSync(s.path, constants.O_RDONLY)
  try {
    let done = 0
    while (done < s.length) {
      const got = readSync(fd, out, s.bufOffset + done, s.length - done, s.fileOffset + done)
      if (got === 0) throw Object.assign(new Error('file is shorter than expected'), { code: 'ENOENT' })
      done += got
    }
  } finally {
    closeSync(fd)
  }
}

function run (req: DiskRequest): DiskReply {
  try {
    if (req.op === 'write') {
      // A copy comes transferred and goes back for reuse; a piece's own shared memory is only read.
      const returned = req.data instanceof ArrayBuffer ? { returned: req.data } : {}
      const buf = new Uint8Array(req.data, req.dataOffset ?? 0)
      for (const s of req.segments) writeSegment(s, buf)
      // The receiver's final SHA-256 of a small file, from the bytes just written (see
      // written-digests.ts), so the final check need not read it back.
      if (!req.segments.some(s => s.digest === true)) return { ticket: req.ticket, ...returned }
      return { ticket: req.ticket, ...returned, digests: req.segments.map(s => s.digest === true ? createHash('sha256').update(buf.subarray(s.bufOffset, s.bufOffset + s.length)).digest('hex') : null) }
    }
    if (req.op === 'write-at') {
      const buf = new Uint8Array(req.data)
      if (req.directFd !== undefined) writeDirect(req.fd, req.directFd, buf, req.bufOffset, req.length, req.position, writeSync, req.pageAligned === true)
      else writeInSlices(req.fd, buf, req.bufOffset, req.length, req.position, writeSync)
      return req.data instanceof ArrayBuffer ? { ticket: req.ticket, returned: req.data } : { ticket: req.ticket }
    }
    if (req.op === 'read-at') {
      const out = req.into !== undefined && req.into.byteLength === req.length ? new Uint8Array(req.into) : new Uint8Array(req.length)
      readDirect(req.fd, req.directFd, out, 0, req.length, req.position)
      return { ticket: req.ticket, data: out.buffer }
    }
    if (req.op === 'stat') {
      return {
        ticket: req.ticket,
        stamps: req.paths.map((path): DiskStamp => {
          const st = statSync(path, { throwIfNoEntry: false })
          return st ? { size: st.size, mtimeMs: st.mtimeMs } : null
        })
      }
    }
    const out = req.into !== undefined && req.into.byteLength === req.length ? new Uint8Array(req.into) : new Uint8Array(req.length)
    for (const s of req.segments) readSegment(s, out)
    if (req.sha1 !== true) return { ticket: req.ticket, data: out.buffer }
    // An origin's guard checks every piece it serves against its SHA-1: hashed here, off the main thread.
    const sha1 = createHash('sha1').update(out).digest()
    return { ticket: req.ticket, data: out.buffer, sha1: sha1.buffer.slice(sha1.byteOffset, sha1.byteOffset + sha1.byteLength) }
  } catch (err) {
    return { ticket: req.ticket, error: toError(err) }
  }
}

parentPort?.on('message', (req: DiskRequest) => {
  const reply = run(req)
  const transfer: ArrayBuffer[] = []
  if (reply.data) transfer.push(reply.data)
  if (reply.returned) transfer.push(reply.returned)
  parentPort?.postMessage(reply, transfer)
})
