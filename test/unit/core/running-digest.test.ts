import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { RunningDigest, type ReadBack } from '../../../main/core/engine/running-digest.js'
import { takeWritten } from '../../../main/core/engine/written-digests.js'

// A receiver's SHA-256 of a big file, taken while the file is written (running-digest.ts), so the
// final check need not read it back.

const dirs: string[] = []
function tmp (): string {
  const d = mkdtempSync(join(tmpdir(), 'sd-digest-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

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

/** A file on disk the digest reads back from, written piece by piece as a store would. */
function onDisk (): { path: string, write: (position: number, bytes: Uint8Array) => void, readBack: ReadBack, reads: () => number } {
  const path = join(tmp(), 'big.part')
  writeFileSync(path, Buffer.alloc(0))
  let reads = 0
  return {
    path,
    write: (position, bytes) => {
      const fd = openSync(path, 'r+')
      try { writeSync(fd, bytes, 0, bytes.length, position) } finally { closeSync(fd) }
    },
    readBack: (position, n, into, done) => {
      reads++
      setImmediate(() => {
        const fd = openSync(path, 'r')
        try {
          const got = readSync(fd, into, 0, n, position)
          done(got === n ? null : new Error('short read'))
        } finally { closeSync(fd) }
      })
    },
    reads: () => reads
  }
}

async function settle (): Promise<void> {
  for (let i = 0; i < 200; i++) await new Promise(resolve => setImmediate(resolve))
}

describe('running digest', () => {
  const piece = 4096
  const data = randomBytes(piece * 24 + 1000)
  const pieces = Math.ceil(data.length / piece)
  const slice = (i: number): Buffer => data.subarray(i * piece, Math.min(data.length, (i + 1) * piece))

  /** Every piece but the first written (all ahead of the digest), then the first. */
  function tailThenHead (disk: ReturnType<typeof onDisk>, d: RunningDigest): void {
    for (let i = 1; i < pieces; i++) { disk.write(i * piece, slice(i)); d.wrote(i * piece, slice(i)) }
    disk.write(0, slice(0))
    d.wrote(0, slice(0))
  }

  it('in order: hashes each piece as written and reads nothing back', async () => {
    const disk = onDisk()
    let got: string | undefined
    const d = new RunningDigest(data.length, disk.readBack, s => { got = s })
    for (let i = 0; i < pieces; i++) { disk.write(i * piece, slice(i)); d.wrote(i * piece, slice(i)) }
    await settle()
    expect(got).toBe(sha256(data))
    expect(disk.reads()).toBe(0)
  })

  it('in any order: pieces written ahead are read back once the digest reaches them', async () => {
    for (const seed of [1, 7, 42]) {
      const disk = onDisk()
      let got: string | undefined
      const d = new RunningDigest(data.length, disk.readBack, s => { got = s })
      for (const i of shuffled(pieces, seed)) {
        disk.write(i * piece, slice(i))
        d.wrote(i * piece, slice(i))
        if (i % 3 === 0) await settle()
      }
      await settle()
      expect(got, `seed ${seed}`).toBe(sha256(data))
      expect(disk.reads()).toBeGreaterThan(0)
    }
  })

  it('gives no digest for a file not wholly written by it (resumed), rewritten, or unreadable', async () => {
    // Resumed: piece 5 was on disk from an earlier run and is never written here.
    const resumed = onDisk()
    let a: string | undefined
    const da = new RunningDigest(data.length, resumed.readBack, s => { a = s })
    for (let i = 0; i < pieces; i++) { resumed.write(i * piece, slice(i)); if (i !== 5) da.wrote(i * piece, slice(i)) }
    await settle()
    expect(a).toBeUndefined()

    // A piece written again after it was hashed would leave the digest behind the file.
    const again = onDisk()
    let b: string | undefined
    const db = new RunningDigest(data.length, again.readBack, s => { b = s })
    db.wrote(0, slice(0))
    db.wrote(0, slice(0))
    for (let i = 1; i < pieces; i++) db.wrote(i * piece, slice(i))
    await settle()
    expect(b).toBeUndefined()

    // A piece written ahead twice (the same start), and a read-back that fails.
    const twice = onDisk()
    let c: string | undefined
    const dc = new RunningDigest(data.length, twice.readBack, s => { c = s })
    dc.wrote(piece, slice(1))
    dc.wrote(piece, slice(1))
    dc.wrote(0, slice(0))
    for (let i = 2; i < pieces; i++) dc.wrote(i * piece, slice(i))
    await settle()
    expect(c).toBeUndefined()
    let e: string | undefined
    const de = new RunningDigest(data.length, (_p, _n, _into, done) => setImmediate(() => done(new Error('EIO'))), s => { e = s })
    for (let i = pieces - 1; i >= 0; i--) de.wrote(i * piece, slice(i))
    await settle()
    expect(e).toBeUndefined()
  })

  it('reads pieces that are next to each other back in one read', async () => {
    const disk = onDisk()
    let got: string | undefined
    const d = new RunningDigest(data.length, disk.readBack, s => { got = s })
    tailThenHead(disk, d)
    await settle()
    expect(got).toBe(sha256(data))
    expect(disk.reads()).toBe(1)
  })

  it('the final check completes a digest from its position when little is left, and declines when much is', async () => {
    // Pieces 0-2 written; the rest is on disk from an earlier run (never written by this store).
    const disk = onDisk()
    for (let i = 0; i < pieces; i++) disk.write(i * piece, slice(i))
    const d = new RunningDigest(data.length, disk.readBack, () => {})
    for (let i = 0; i < 3; i++) d.wrote(i * piece, slice(i))
    expect(await d.complete(data.length - 3 * piece)).toBe(sha256(data))
    expect(await d.complete(0)).toBe(sha256(data))

    const behind = new RunningDigest(data.length, disk.readBack, () => {})
    behind.wrote(0, slice(0))
    expect(await behind.complete(data.length - piece - 1)).toBeUndefined()
  })

  it('gives no digest when a piece is written into the range being read back', async () => {
    const disk = onDisk()
    let got: string | undefined
    const d = new RunningDigest(data.length, disk.readBack, s => { got = s })
    tailThenHead(disk, d)
    // Piece 1 is being read back now (asynchronously); a second write of it must spoil the digest.
    d.wrote(piece, slice(1))
    await settle()
    expect(got).toBeUndefined()
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
})
