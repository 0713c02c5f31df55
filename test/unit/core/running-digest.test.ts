import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { RunningDigest } from '../../../main/core/engine/running-digest.js'
import { DigestThread, type DigestDone } from '../../../main/core/hashing/digest-thread.js'
import { takeWritten } from '../../../main/core/engine/written-digests.js'

// A receiver's SHA-256 of a big file, taken while the file is written (running-digest.ts), so the
// final check need not read it back.

const dirs: string[] = []
const threads: DigestThread[] = []
function tmp (): string {
  const d = mkdtempSync(join(tmpdir(), 'sd-digest-'))
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const t of threads.splice(0)) await t.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Waits until the thread answered everything sent so far (it answers in order). */
async function settle (thread: DigestThread): Promise<void> {
  const probe = thread.begin()
  if (probe === undefined) return
  await new Promise(resolve => thread.finish(probe, resolve))
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/** Pieces 0..n-1 in a fixed shuffled order. */
function shuffled (n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i)
  let s = seed
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648
    const j = s % (i + 1)
    const t = order[i] as number
    order[i] = order[j] as number
    order[j] = t
  }
  return order
}

/** The process's real digest thread, counting what it is asked to read back. */
class CountingThread extends DigestThread {
  reads = 0
  updates = 0
  override read (digest: number, path: string, position: number, length: number, done: DigestDone): void {
    this.reads++
    super.read(digest, path, position, length, done)
  }

  override update (digest: number, data: Uint8Array, done: DigestDone): void {
    this.updates++
    super.update(digest, data, done)
  }
}

/** A file on disk, written piece by piece as a store would, and a digest of it on its own thread. */
function onDisk (length: number): { path: string, thread: CountingThread, write: (position: number, bytes: Uint8Array) => void, digest: (onDigest?: (s: string) => void) => RunningDigest } {
  const path = join(tmp(), 'big.part')
  writeFileSync(path, Buffer.alloc(0))
  const thread = new CountingThread()
  threads.push(thread)
  return {
    path,
    thread,
    write: (position, bytes) => {
      const fd = openSync(path, 'r+')
      try { writeSync(fd, bytes, 0, bytes.length, position) } finally { closeSync(fd) }
    },
    digest: (onDigest = () => {}) => new RunningDigest(length, path, onDigest, thread)
  }
}

/** `bytes` copied into shared memory, as the engine assembles pieces of 1 MiB or more. */
function shared (bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length))
  out.set(bytes)
  return out
}

/** Waits (bounded) until `check` holds. */
async function until (check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 5))
}

describe('running digest', () => {
  const piece = 4096
  const data = randomBytes(piece * 24 + 1000)
  const pieces = Math.ceil(data.length / piece)
  const slice = (i: number): Buffer => data.subarray(i * piece, Math.min(data.length, (i + 1) * piece))

  /** A piece written as the store does: hashed in place if the digest takes it, else reported once written. */
  function written (disk: ReturnType<typeof onDisk>, d: RunningDigest, i: number, bytes: Uint8Array = slice(i)): Promise<void> {
    return new Promise(resolve => {
      const taken = d.writing(i * piece, bytes, resolve)
      disk.write(i * piece, bytes)
      if (!taken) { d.wroteRange(i * piece, bytes.length); resolve() }
    })
  }

  it('in order, in shared memory: hashes each piece in place on the thread and reads nothing back', async () => {
    const disk = onDisk(data.length)
    let got: string | undefined
    const d = disk.digest(s => { got = s })
    const hashedAll = []
    for (let i = 0; i < pieces; i++) hashedAll.push(written(disk, d, i, shared(slice(i))))
    await Promise.all(hashedAll)
    await until(() => got !== undefined)
    expect(got).toBe(sha256(data))
    expect(disk.thread.updates).toBe(pieces)
    expect(disk.thread.reads).toBe(0)
  })

  it('pieces in ordinary memory or in any order are read back by the thread once the digest reaches them', async () => {
    for (const seed of [1, 7, 42]) {
      const disk = onDisk(data.length)
      let got: string | undefined
      const d = disk.digest(s => { got = s })
      for (const i of shuffled(pieces, seed)) await written(disk, d, i, seed === 7 ? shared(slice(i)) : slice(i))
      await until(() => got !== undefined)
      expect(got, `seed ${seed}`).toBe(sha256(data))
      expect(disk.thread.reads, `seed ${seed}`).toBeGreaterThan(0)
    }
  })

  it('gives no digest for a file not wholly written by it (resumed), rewritten, or unreadable', async () => {
    // Resumed: piece 5 was on disk from an earlier run and is never written here.
    const resumed = onDisk(data.length)
    let a: string | undefined
    const da = resumed.digest(s => { a = s })
    for (let i = 0; i < pieces; i++) { if (i === 5) resumed.write(i * piece, slice(i)); else await written(resumed, da, i) }
    await settle(resumed.thread)
    expect(a).toBeUndefined()

    // A piece written again after it was hashed would leave the digest behind the file.
    const again = onDisk(data.length)
    let b: string | undefined
    const db = again.digest(s => { b = s })
    await written(again, db, 0, shared(slice(0)))
    await written(again, db, 0, shared(slice(0)))
    for (let i = 1; i < pieces; i++) await written(again, db, i)
    await settle(again.thread)
    expect(b).toBeUndefined()

    // A piece written ahead twice (the same start).
    const twice = onDisk(data.length)
    let c: string | undefined
    const dc = twice.digest(s => { c = s })
    await written(twice, dc, 1)
    await written(twice, dc, 1)
    for (let i = 0; i < pieces; i++) if (i !== 1) await written(twice, dc, i)
    await settle(twice.thread)
    expect(c).toBeUndefined()

    // The file is gone when the thread reads it back.
    const gone = onDisk(data.length)
    let e: string | undefined
    const de = gone.digest(s => { e = s })
    for (let i = pieces - 1; i >= 1; i--) await written(gone, de, i)
    rmSync(gone.path)
    de.wroteRange(0, piece)
    await settle(gone.thread)
    expect(gone.thread.reads).toBe(1)
    expect(e).toBeUndefined()
  })

  it('reads pieces that are next to each other back in one read', async () => {
    const disk = onDisk(data.length)
    let got: string | undefined
    const d = disk.digest(s => { got = s })
    for (let i = 1; i < pieces; i++) await written(disk, d, i)
    expect(disk.thread.reads).toBe(0)
    await written(disk, d, 0)
    await until(() => got !== undefined)
    expect(got).toBe(sha256(data))
    expect(disk.thread.reads).toBe(1)
  })

  it('the final check completes a digest from its position when little is left, and declines when much is', async () => {
    // Pieces 0-2 written; the rest is on disk from an earlier run (never written by this store).
    const disk = onDisk(data.length)
    for (let i = 0; i < pieces; i++) disk.write(i * piece, slice(i))
    const d = disk.digest()
    for (let i = 0; i < 3; i++) await written(disk, d, i, shared(slice(i)))
    expect(await d.complete(data.length - 3 * piece)).toBe(sha256(data))
    expect(await d.complete(0)).toBe(sha256(data))

    const behind = disk.digest()
    await written(disk, behind, 0, shared(slice(0)))
    expect(await behind.complete(data.length - piece - 1)).toBeUndefined()
  })

  it('gives no digest when a piece is written again into what the thread is reading back', async () => {
    const disk = onDisk(data.length)
    let got: string | undefined
    const d = disk.digest(s => { got = s })
    for (let i = 1; i < pieces; i++) await written(disk, d, i)
    await written(disk, d, 0)
    // Everything is sent to the thread now; a second write of piece 1 must spoil the digest.
    await written(disk, d, 1)
    await settle(disk.thread)
    expect(got).toBeUndefined()
  })

  it('a digest whose thread stops gives none (the file is read whole instead), and the next starts a new thread', async () => {
    const disk = onDisk(data.length)
    let got: string | undefined
    const d = disk.digest(s => { got = s })
    for (let i = 0; i < 3; i++) await written(disk, d, i, shared(slice(i)))
    await disk.thread.stop()
    const pending = d.complete(data.length)
    expect(await pending).toBeUndefined()
    expect(got).toBeUndefined()

    // The same DigestThread starts a new thread for the next file, which gets its digest.
    const next = disk.digest()
    for (let i = 0; i < pieces; i++) await written(disk, next, i, shared(slice(i)))
    expect(await next.complete(0)).toBe(sha256(data))
  })
})

describe('file store: a big file\'s SHA-256 from its writes', () => {
  function put (store: FileStore, index: number, buf: Uint8Array): Promise<Error | null> {
    return new Promise(resolve => store.put(index, buf, err => resolve(err)))
  }
  /** The digest recorded for `path`, once its read-backs (libuv's pool) are through; bounded. */
  async function recorded (path: string, length: number, ms: number): Promise<string | undefined> {
    const until = Date.now() + ms
    for (;;) {
      const got = takeWritten(path, length)
      if (got !== undefined || Date.now() > until) return got
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }

  it('records the SHA-256 of a file longer than a piece written in any order, for the final check', async () => {
    const pieceLength = 16_384
    const data = randomBytes(pieceLength * 40 + 123)
    const path = join(tmp(), 'image.iso.part')
    const store = new FileStore(pieceLength, { path: '', files: [], length: data.length, name: 'x', fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false } })
    const n = Math.ceil(data.length / pieceLength)
    for (const i of shuffled(n, 3)) expect(await put(store, i, data.subarray(i * pieceLength, Math.min(data.length, (i + 1) * pieceLength)))).toBeNull()
    expect(await recorded(path, data.length, 5_000)).toBe(sha256(data))
    await new Promise(resolve => store.close(resolve))
  })

  it('records nothing for a file it did not write whole (a download resumed from an earlier run)', async () => {
    const pieceLength = 16_384
    const data = randomBytes(pieceLength * 10)
    const path = join(tmp(), 'resumed.part')
    writeFileSync(path, data.subarray(0, pieceLength * 3))
    const store = new FileStore(pieceLength, { path: '', files: [], length: data.length, name: 'x', fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false } })
    for (let i = 3; i < 10; i++) expect(await put(store, i, data.subarray(i * pieceLength, (i + 1) * pieceLength))).toBeNull()
    expect(await recorded(path, data.length, 500)).toBeUndefined()
    await new Promise(resolve => store.close(resolve))
  })

  it('keeps no digest of a file a failed piece was written into (pieces are written while they are hashed)', async () => {
    const pieceLength = 16_384
    const data = randomBytes(pieceLength * 12)
    const path = join(tmp(), 'bad-piece.part')
    const store = new FileStore(pieceLength, { path: '', files: [], length: data.length, name: 'x', fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false } })
    const piece = (i: number): Buffer => data.subarray(i * pieceLength, (i + 1) * pieceLength)
    // Every piece in order, piece 11 with bad bytes: the digest completes over what was written.
    for (let i = 0; i < 11; i++) expect(await put(store, i, piece(i))).toBeNull()
    expect(await put(store, 11, randomBytes(pieceLength))).toBeNull()
    await new Promise(resolve => setTimeout(resolve, 200))
    // Piece 11 failed its SHA-1: the store is told, and the good bytes are written again.
    store.discard(11)
    expect(await put(store, 11, piece(11))).toBeNull()
    // No digest is left from the bad bytes (the final check reads the file instead).
    expect(await recorded(path, data.length, 500)).toBeUndefined()
    await new Promise(resolve => store.close(resolve))
  })
})
