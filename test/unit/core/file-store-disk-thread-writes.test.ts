// A big file's pieces are written by the disk thread in calls of WRITE_SLICE_BYTES, back to back
// with blocking calls (write-slice.ts), not through libuv's pool with a callback on the main loop
// per call: on one link that doubled the speed and cut the recipient's CPU by a third (session 20).
// node:fs's `write` on the main thread is watched: a piece must not use it.
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const mainThreadWrites = vi.hoisted(() => ({ count: 0 }))
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  const write = ((...args: unknown[]): void => {
    mainThreadWrites.count++
    ;(real.write as (...a: unknown[]) => void)(...args)
  }) as typeof real.write
  return { ...real, default: { ...real, write }, write }
})

const { FileStore } = await import('../../../main/core/engine/file-store.js')
const { DiskThread } = await import('../../../main/core/engine/disk-thread.js')
const { WRITE_SLICE_BYTES, writeInSlices } = await import('../../../main/core/engine/write-slice.js')

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-disk-writes-')); dirs.push(d); return d }

const KiB = 1024
const MiB = 1024 * KiB

interface Call { bufOffset: number, length: number, position: number }

describe('writeInSlices', () => {
  it('writes a range in calls of at most WRITE_SLICE_BYTES, in order, every byte once', () => {
    expect(WRITE_SLICE_BYTES).toBeLessThanOrEqual(512 * KiB)
    const calls: Call[] = []
    const length = 2 * MiB + 1000
    writeInSlices(7, new Uint8Array(length + 500), 500, length, 4 * MiB, (fd, _buf, bufOffset, n, position) => {
      expect(fd).toBe(7)
      calls.push({ bufOffset, length: n, position })
      return n
    })
    expect(calls).toHaveLength(Math.ceil(length / WRITE_SLICE_BYTES))
    expect(Math.max(...calls.map(c => c.length))).toBe(WRITE_SLICE_BYTES)
    expect(calls.at(-1)?.length).toBe(length % WRITE_SLICE_BYTES)
    let next = 0
    for (const c of calls) {
      expect(c.bufOffset).toBe(500 + next)
      expect(c.position).toBe(4 * MiB + next)
      next += c.length
    }
    expect(next).toBe(length)
  })

  it('goes on where a short write stopped, and fails when the disk takes nothing', () => {
    const positions: number[] = []
    writeInSlices(3, new Uint8Array(40 * KiB), 0, 40 * KiB, 0, (_fd, _buf, _off, n, position) => {
      positions.push(position)
      return Math.min(n, 10 * KiB)
    })
    expect(positions).toEqual([0, 10 * KiB, 20 * KiB, 30 * KiB])
    expect(() => writeInSlices(3, new Uint8Array(10), 0, 10, 0, () => 0)).toThrow(/took no bytes/)
  })
})

describe('a big file\'s pieces on the disk thread', () => {
  it('writes pieces put at once off the main thread, every byte where it belongs', async () => {
    const dir = tmp()
    const pieceLength = MiB
    const pieces = 8
    const data = randomBytes(pieces * pieceLength - 1000)
    const path = join(dir, 'big.bin')
    const store = new FileStore(pieceLength, { path: dir, files: [], length: data.length, name: 'big.bin', fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false } } as never)
    mainThreadWrites.count = 0
    const order = [3, 0, 7, 1, 6, 2, 5, 4]
    const errors = await Promise.all(order.map(index => new Promise<Error | null>(resolve => {
      store.put(index, data.subarray(index * pieceLength, Math.min(data.length, (index + 1) * pieceLength)), e => resolve(e))
    })))
    expect(errors.every(e => e === null)).toBe(true)
    await new Promise<void>(resolve => store.close(() => resolve()))
    expect(mainThreadWrites.count).toBe(0)
    expect(readFileSync(path).equals(data)).toBe(true)
  })

  it('writes a piece in shared memory where it is, and copies any other', async () => {
    const path = join(tmp(), 'piece.bin')
    const fd = openSync(path, 'w')
    const thread = new DiskThread()
    try {
      const shared = new Uint8Array(new SharedArrayBuffer(256 * KiB))
      shared.set(randomBytes(shared.length))
      const plain = randomBytes(256 * KiB)
      const write = (data: Uint8Array, position: number): Promise<NodeJS.ErrnoException | null> => new Promise(resolve => thread.writeAt(fd, position, data, resolve))
      expect(await write(shared.subarray(KiB), 0)).toBeNull()
      // No copy was made, so none came back to keep.
      expect(thread.spareBuffers).toBe(0)
      expect(await write(plain, 255 * KiB)).toBeNull()
      expect(thread.spareBuffers).toBe(1)
      expect(readFileSync(path).equals(Buffer.concat([shared.subarray(KiB), plain]))).toBe(true)
    } finally {
      closeSync(fd)
    }
  })

  // A piece across many small files is one batch: with pieces from 256 KiB in shared memory
  // (session 26), copying each into a transferable buffer first was a slower copy than before.
  it('writes a piece across files from its shared memory where it is, and copies any other', async () => {
    const dir = tmp()
    const thread = new DiskThread()
    const shared = new Uint8Array(new SharedArrayBuffer(64 * KiB))
    shared.set(randomBytes(shared.length))
    const piece = shared.subarray(4 * KiB, 36 * KiB) // a view at an offset into the memory
    const segments = [0, 1, 2, 3].map(k => ({ path: join(dir, `f${k}`), fileOffset: 0, bufOffset: k * 8 * KiB, length: 8 * KiB, presizeTo: 0, digest: k === 1 }))
    const digests = await new Promise<ReadonlyArray<string | null> | undefined>((resolve, reject) => thread.write(segments, piece, (err, d) => err ? reject(err) : resolve(d)))
    expect(thread.spareBuffers).toBe(0) // no copy was made, so none came back to keep
    for (const [k, seg] of segments.entries()) expect(readFileSync(seg.path).equals(Buffer.from(piece.subarray(k * 8 * KiB, (k + 1) * 8 * KiB)))).toBe(true)
    expect(digests?.[1]).toBe(createHash('sha256').update(piece.subarray(8 * KiB, 16 * KiB)).digest('hex'))
    expect(digests?.[0]).toBeNull()
    const plain = randomBytes(16 * KiB)
    await new Promise<void>((resolve, reject) => thread.write([{ path: join(dir, 'g'), fileOffset: 0, bufOffset: 0, length: 16 * KiB, presizeTo: 0 }], plain, err => err ? reject(err) : resolve()))
    expect(thread.spareBuffers).toBe(1)
    expect(readFileSync(join(dir, 'g')).equals(plain)).toBe(true)
  })

  it('tells the writer of a failed write, and the next write still runs', async () => {
    const dir = tmp()
    const readOnlyPath = join(dir, 'read-only.bin')
    closeSync(openSync(readOnlyPath, 'w'))
    const readOnly = openSync(readOnlyPath, 'r')
    const writable = openSync(join(dir, 'ok.bin'), 'w')
    const thread = new DiskThread()
    try {
      const buf = Buffer.alloc(1000, 7)
      const failed = await new Promise<NodeJS.ErrnoException | null>(resolve => thread.writeAt(readOnly, 0, buf, resolve))
      expect(failed?.code).toBe('EBADF')
      const next = await new Promise<NodeJS.ErrnoException | null>(resolve => thread.writeAt(writable, 0, buf, resolve))
      expect(next).toBeNull()
      expect(readFileSync(join(dir, 'ok.bin')).equals(buf)).toBe(true)
    } finally {
      closeSync(readOnly)
      closeSync(writable)
    }
  })
})
