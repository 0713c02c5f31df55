// Fills chunk buffers from the files on disk with positional reads. Each file is checked against
// its declared length when it is opened, and again (size and modification time) after its last
// byte is read, so a file that is replaced, truncated or written to while it is hashed fails the
// job instead of yielding hashes of bytes nobody will ever send.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import type { Chunk, Segment } from './chunk-plan.js'
import type { JobFile } from './hash-protocol.js'

interface OpenFile {
  readonly handle: FileHandle
  readonly mtimeMs: number
  remaining: number // bytes not yet read; the file is checked and closed at 0
}

// A chunk spanning many small files would otherwise wait on one open/stat/close after another.
const SEGMENTS_IN_PARALLEL = 4
// A file this small that lies whole in one chunk is read with blocking calls on this (reading)
// thread: open, stat, read, stat, close take a few microseconds each from the page cache, where
// each async call costs a round trip through libuv's pool and a promise (measured: 50,000 files of
// 8 KiB took 12.9 s to hash, most of it in those round trips). Larger files keep the async reads,
// which overlap each other on a cold disk.
const SYNC_FILE_BYTES = 256 * 1024

export class ChunkReader {
  private readonly openFiles = new Map<number, Promise<Result<OpenFile>>>()

  constructor (private readonly files: readonly JobFile[]) {}

  /** Reads every segment of `chunk` into `into`; on failure, reads already started still finish. */
  async read (chunk: Chunk, into: Uint8Array): Promise<Result<void>> {
    let failure: Result<void> | undefined
    const segments: Segment[] = []
    for (const segment of chunk.segments) {
      if (this.isSmallWhole(segment)) {
        if (failure === undefined) {
          const r = this.readWholeSync(segment, into)
          if (!r.ok) failure = r
        }
      } else {
        segments.push(segment)
      }
    }
    let next = 0
    const lane = async (): Promise<void> => {
      while (failure === undefined && next < segments.length) {
        const segment = segments[next++]
        if (segment === undefined) break
        const r = await this.readSegment(segment, into)
        if (!r.ok) failure ??= r
      }
    }
    await Promise.all(Array.from({ length: Math.min(SEGMENTS_IN_PARALLEL, segments.length) }, lane))
    return failure ?? ok(undefined)
  }

  /** A whole file, small, not already opened by the async path. */
  private isSmallWhole (segment: Segment): boolean {
    const declared = this.files[segment.file]?.length ?? -1
    return segment.fileOffset === 0 && segment.length === declared && declared <= SYNC_FILE_BYTES && !this.openFiles.has(segment.file)
  }

  /** The same checks as openChecked, readSegment and finish, with blocking calls. */
  private readWholeSync (segment: Segment, into: Uint8Array): Result<void> {
    const path = this.pathOf(segment.file)
    const declared = segment.length
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch (err) {
      return openFailure(path, err)
    }
    try {
      const st = fstatSync(fd)
      if (!st.isFile()) return fail('unreadable', `${path} is not a regular file`)
      if (st.size !== declared) return fail('size-mismatch', `${path} is ${st.size} bytes on disk, but ${declared} were expected; it changed since it was listed`)
      let done = 0
      while (done < declared) {
        const got = readSync(fd, into, segment.bufferOffset + done, declared - done, done)
        if (got === 0) return fail('changed', `${path} became shorter while it was being read`)
        done += got
      }
      const after = fstatSync(fd)
      if (after.size !== declared) return fail('changed', `${path} changed size while it was being read (${declared} → ${after.size} bytes)`)
      if (after.mtimeMs !== st.mtimeMs) return fail('changed', `${path} was modified while it was being read`)
      return ok(undefined)
    } catch (err) {
      return fail('unreadable', `cannot read ${path}: ${errorMessage(err)}`)
    } finally {
      try { closeSync(fd) } catch { /* nothing left to do */ }
    }
  }

  /** Closes whatever is still open (after a failure); never fails. */
  async closeAll (): Promise<void> {
    const pending = [...this.openFiles.values()]
    this.openFiles.clear()
    for (const p of pending) {
      const f = await p
      if (f.ok) await f.value.handle.close().catch(() => undefined)
    }
  }

  private async readSegment (segment: Segment, into: Uint8Array): Promise<Result<void>> {
    const path = this.pathOf(segment.file)
    const opened = await this.fileFor(segment.file)
    if (!opened.ok) return opened
    const file = opened.value
    let done = 0
    while (done < segment.length) {
      let bytesRead: number
      try {
        ({ bytesRead } = await file.handle.read(into, segment.bufferOffset + done, segment.length - done, segment.fileOffset + done))
      } catch (err) {
        return fail('unreadable', `cannot read ${path}: ${errorMessage(err)}`)
      }
      if (bytesRead === 0) return fail('changed', `${path} became shorter while it was being read`)
      done += bytesRead
    }
    file.remaining -= segment.length
    return file.remaining === 0 ? await this.finish(segment.file, file) : ok(undefined)
  }

  private fileFor (index: number): Promise<Result<OpenFile>> {
    let p = this.openFiles.get(index)
    if (p === undefined) {
      p = this.openChecked(index)
      this.openFiles.set(index, p)
    }
    return p
  }

  private async openChecked (index: number): Promise<Result<OpenFile>> {
    const path = this.pathOf(index)
    const declared = this.files[index]?.length ?? 0
    let handle: FileHandle
    try {
      handle = await open(path, 'r')
    } catch (err) {
      return openFailure(path, err)
    }
    try {
      const st = await handle.stat()
      if (!st.isFile()) {
        await handle.close()
        return fail('unreadable', `${path} is not a regular file`)
      }
      if (st.size !== declared) {
        await handle.close()
        return fail('size-mismatch', `${path} is ${st.size} bytes on disk, but ${declared} were expected; it changed since it was listed`)
      }
      return ok({ handle, mtimeMs: st.mtimeMs, remaining: declared })
    } catch (err) {
      await handle.close().catch(() => undefined)
      return fail('unreadable', `cannot read ${path}: ${errorMessage(err)}`)
    }
  }

  private async finish (index: number, file: OpenFile): Promise<Result<void>> {
    const path = this.pathOf(index)
    this.openFiles.delete(index)
    try {
      const st = await file.handle.stat()
      const declared = this.files[index]?.length ?? 0
      if (st.size !== declared) return fail('changed', `${path} changed size while it was being read (${declared} → ${st.size} bytes)`)
      if (st.mtimeMs !== file.mtimeMs) return fail('changed', `${path} was modified while it was being read`)
      return ok(undefined)
    } catch (err) {
      return fail('unreadable', `cannot read ${path}: ${errorMessage(err)}`)
    } finally {
      await file.handle.close().catch(() => undefined)
    }
  }

  private pathOf (index: number): string {
    return this.files[index]?.path ?? `file #${index}`
  }
}

/** Why a file could not be opened, as one sentence. */
function openFailure (path: string, err: unknown): ReturnType<typeof fail> {
  const code = errnoCode(err)
  if (code === 'ENOENT') return fail('unreadable', `cannot open ${path}: no such file`)
  if (code === 'EACCES') return fail('unreadable', `cannot open ${path}: permission denied`)
  return fail('unreadable', `cannot open ${path}: ${errorMessage(err)}`)
}
