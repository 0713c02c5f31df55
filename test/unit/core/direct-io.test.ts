// A receiver's big files go between the process and the disk with O_DIRECT (direct-io.ts), so the
// page cache, whose pages this VM charges for at their first touch, does not fill with them:
// - the aligned middle of a range is staged through page-aligned memory, the unaligned head and
//   tail go through the page cache, and a refusal (EINVAL) falls back to it;
// - a receiver's store writes and reads its pieces that way and leaves (almost) nothing in the page
//   cache (`fincore`, util-linux), where a store without it leaves the whole file there;
// - the running SHA-256 reads pieces written ahead back the same way, and is still right.
import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DIRECT_ALIGNMENT, STAGE_BYTES, readDirect, stageBuffer, writeDirect } from '../../../main/core/engine/direct-io.js'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { takeWritten } from '../../../main/core/engine/written-digests.js'

const KiB = 1024
const MiB = 1024 * KiB

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-direct-')); dirs.push(d); return d }

interface Call { fd: number, position: number, length: number }

/** A file of `size` bytes in memory, written and read through fake descriptors 1 (buffered) and 2 (direct). */
function fakeDisk (size: number, refuseDirect = false): { bytes: Uint8Array, calls: Call[], write: (fd: number, buf: Uint8Array, off: number, n: number, pos: number) => number, read: (fd: number, buf: Uint8Array, off: number, n: number, pos: number) => number } {
  const bytes = new Uint8Array(size)
  const calls: Call[] = []
  const check = (fd: number, buf: Uint8Array, off: number, n: number, pos: number): void => {
    calls.push({ fd, position: pos, length: n })
    if (fd !== 2) return
    if (refuseDirect) throw Object.assign(new Error('invalid argument'), { code: 'EINVAL' })
    // What the kernel asks of a direct transfer.
    expect(pos % DIRECT_ALIGNMENT).toBe(0)
    expect(n % DIRECT_ALIGNMENT).toBe(0)
    expect(buf.buffer).toBe(stageBuffer()?.buffer)
    expect(off).toBe(0)
  }
  return {
    bytes,
    calls,
    write: (fd, buf, off, n, pos) => { check(fd, buf, off, n, pos); bytes.set(buf.subarray(off, off + n), pos); return n },
    read: (fd, buf, off, n, pos) => {
      check(fd, buf, off, n, pos)
      const got = Math.max(0, Math.min(n, size - pos))
      buf.set(bytes.subarray(pos, pos + got), off)
      return got
    }
  }
}

describe('direct-io', () => {
  it('writes the aligned middle direct, in staged calls, and the unaligned head and tail buffered', () => {
    const disk = fakeDisk(4 * MiB)
    const data = randomBytes(2 * MiB + 3000)
    const position = 1000
    writeDirect(1, 2, data, 0, data.length, position, disk.write)
    expect(Buffer.from(disk.bytes.subarray(position, position + data.length)).equals(data)).toBe(true)
    const direct = disk.calls.filter(c => c.fd === 2)
    const buffered = disk.calls.filter(c => c.fd === 1)
    expect(buffered.map(c => [c.position, c.length])).toEqual([[1000, DIRECT_ALIGNMENT - 1000], [(position + data.length) - ((position + data.length) % DIRECT_ALIGNMENT), (position + data.length) % DIRECT_ALIGNMENT]])
    const middle = (position + data.length) - ((position + data.length) % DIRECT_ALIGNMENT) - DIRECT_ALIGNMENT
    expect(direct.length).toBe(Math.ceil(middle / STAGE_BYTES))
    expect(direct.reduce((sum, c) => sum + c.length, 0)).toBe(middle)
    expect(Math.max(...direct.map(c => c.length))).toBe(STAGE_BYTES)
  })

  it('falls back to the page cache for what the file system refuses, and reads back every byte either way', () => {
    for (const refuse of [false, true]) {
      const disk = fakeDisk(3 * MiB + 123, refuse)
      const data = randomBytes(3 * MiB + 123)
      writeDirect(1, 2, data, 0, data.length, 0, disk.write)
      expect(Buffer.from(disk.bytes).equals(data)).toBe(true)
      const out = Buffer.alloc(MiB + 500)
      readDirect(1, 2, out, 0, out.length, 2 * MiB - 777, disk.read)
      expect(out.equals(data.subarray(2 * MiB - 777, 3 * MiB - 277))).toBe(true)
      expect(disk.calls.some(c => c.fd === 2)).toBe(true)
      expect(disk.calls.filter(c => c.fd === 1).length > 2).toBe(refuse)
    }
  })

  it('says a file is shorter than the range asked', () => {
    const disk = fakeDisk(10 * KiB)
    expect(() => readDirect(1, 2, Buffer.alloc(8 * KiB), 0, 8 * KiB, 6 * KiB, disk.read)).toThrow(/shorter than expected/)
  })

  it('works on a real file, head, middle and tail', () => {
    const path = join(tmp(), 'f.bin')
    const data = randomBytes(MiB + 9000)
    // O_DIRECT or not (a file system may refuse it), the bytes must land.
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644)
    let direct = fd
    try { direct = openSync(path, constants.O_RDWR | constants.O_DIRECT) } catch { /* buffered */ }
    writeDirect(fd, direct, data, 0, data.length, 0, writeSync)
    writeDirect(fd, direct, data, 100, 50000, 5000, writeSync)
    const expected = Buffer.from(data)
    expected.set(data.subarray(100, 50100), 5000)
    expect(readFileSync(path).equals(expected)).toBe(true)
    const back = Buffer.alloc(70000)
    readDirect(fd, direct, back, 0, back.length, 3333, readSync)
    expect(back.equals(expected.subarray(3333, 73333))).toBe(true)
    closeSync(fd)
    if (direct !== fd) closeSync(direct)
  })
})

/** Bytes of `path` in the page cache, by util-linux's fincore; undefined where it cannot say. */
function cached (path: string): number | undefined {
  try {
    return Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim())
  } catch {
    return undefined
  }
}
const hasFincore = cached('/proc/self/exe') !== undefined || cached(process.execPath) !== undefined

async function receive (dir: string, data: Buffer, pieceLength: number, directIo: boolean | undefined): Promise<{ store: FileStore, path: string }> {
  const path = join(dir, 'big.bin')
  const store = new FileStore(pieceLength, { fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false, ...(directIo === undefined ? {} : { directIo }) } } as never)
  const count = Math.ceil(data.length / pieceLength)
  // Last piece first, so every other piece is ahead of the running digest and read back.
  const order = [...Array(count).keys()].reverse()
  const errors = await Promise.all(order.map(i => new Promise<Error | null>(resolve => {
    store.put(i, data.subarray(i * pieceLength, Math.min(data.length, (i + 1) * pieceLength)), e => resolve(e))
  })))
  expect(errors.every(e => e === null)).toBe(true)
  return { store, path }
}

const piece = (store: FileStore, index: number): Promise<Buffer> => new Promise((resolve, reject) => store.get(index, (e, b) => e || !b ? reject(e ?? new Error('no bytes')) : resolve(Buffer.from(b))))

describe.skipIf(!hasFincore || process.env['SWARMDROP_DIRECT_IO'] === '0')('a receiver\'s store with O_DIRECT (needs fincore; off with SWARMDROP_DIRECT_IO=0)', () => {
  it('writes and serves its pieces without filling the page cache, and its running SHA-256 is right', async () => {
    const pieceLength = 512 * KiB
    const data = randomBytes(16 * pieceLength + 1000)
    const { store, path } = await receive(tmp(), data, pieceLength, undefined)
    const before = cached(path) ?? -1
    expect(before).toBeLessThanOrEqual(2 * DIRECT_ALIGNMENT) // the unaligned tail's page at most
    expect((await piece(store, 3)).equals(data.subarray(3 * pieceLength, 4 * pieceLength))).toBe(true)
    expect((await piece(store, 16)).equals(data.subarray(16 * pieceLength))).toBe(true)
    expect(cached(path)).toBeLessThanOrEqual(2 * DIRECT_ALIGNMENT)
    // Only now, read by someone else through the page cache: every byte is there.
    expect(readFileSync(path).equals(data)).toBe(true)
    // Every piece but the first arrived ahead of the digest and was read back by the digest thread.
    const deadline = Date.now() + 10_000
    let sha256: string | undefined
    while ((sha256 = takeWritten(path, data.length)) === undefined && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    expect(sha256).toBe(createHash('sha256').update(data).digest('hex'))
    await new Promise(resolve => store.close(resolve))
  })

  it('leaves the whole file in the page cache without it (what it saves)', async () => {
    const pieceLength = 512 * KiB
    const data = randomBytes(8 * pieceLength)
    const { store, path } = await receive(tmp(), data, pieceLength, false)
    expect(cached(path)).toBe(data.length)
    await new Promise(resolve => store.close(resolve))
  })

  it('keeps bytes right where a big file starts off a block, next to a small one', async () => {
    const dir = tmp()
    const pieceLength = 256 * KiB
    const small = randomBytes(1000)
    const big = randomBytes(3 * MiB + 77)
    const all = Buffer.concat([small, big])
    const targets = [{ path: join(dir, 'a.txt'), length: small.length, offset: 0 }, { path: join(dir, 'b.bin'), length: big.length, offset: small.length }]
    const store = new FileStore(pieceLength, { fileStore: { targets, readOnly: false } } as never)
    const count = Math.ceil(all.length / pieceLength)
    const order = [...Array(count).keys()].sort((a, b) => (a * 7) % count - (b * 7) % count)
    for (const i of order) {
      await new Promise<void>((resolve, reject) => store.put(i, all.subarray(i * pieceLength, Math.min(all.length, (i + 1) * pieceLength)), e => e ? reject(e) : resolve()))
    }
    expect(readFileSync(join(dir, 'a.txt')).equals(small)).toBe(true)
    expect(readFileSync(join(dir, 'b.bin')).equals(big)).toBe(true)
    for (const i of [1, 5, count - 1]) expect((await piece(store, i)).equals(all.subarray(i * pieceLength, Math.min(all.length, (i + 1) * pieceLength)))).toBe(true)
    await new Promise(resolve => store.close(resolve))
  })
})
