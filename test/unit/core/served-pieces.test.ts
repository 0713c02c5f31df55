// The origin's cache of pieces being served: one load per piece however many blocks are asked at
// once, blocks handed out as copies, and an evicted piece's buffer read into again (no fresh
// piece-sized buffer per piece served, which kept V8's mark-compactor busy on the origin).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fail, ok, type Result } from '../../../common/result.js'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { ServedPieces } from '../../../main/core/engine/served-pieces.js'

const PIECE = 64
const content = (index: number): Uint8Array => new Uint8Array(PIECE).fill(index + 1)

function block (served: ServedPieces, index: number, offset: number, length: number, load: (into: Uint8Array) => Promise<Result<Uint8Array>>): Promise<Result<Uint8Array>> {
  return new Promise(resolve => served.get(index, PIECE, offset, length, load, resolve))
}

describe('served pieces', () => {
  it('loads a piece once for every block asked at the same time, and hands out copies', async () => {
    const served = new ServedPieces(2)
    const loads: number[] = []
    const load = (index: number) => async (into: Uint8Array): Promise<Result<Uint8Array>> => {
      loads.push(index)
      await new Promise(resolve => setTimeout(resolve, 5))
      into.set(content(index))
      return ok(into)
    }
    const blocks = await Promise.all([0, 16, 32, 48].map(o => block(served, 3, o, 16, load(3))))
    expect(loads).toEqual([3])
    for (const b of blocks) {
      expect(b.ok && Array.from(b.value)).toEqual(new Array(16).fill(4))
    }
    // A copy: scribbling on it does not change what the next peer gets.
    const first = blocks[0]
    if (!first?.ok) throw new Error('no block')
    first.value.fill(0)
    const again = await block(served, 3, 0, 16, load(3))
    expect(loads).toEqual([3])
    expect(again.ok && Array.from(again.value)).toEqual(new Array(16).fill(4))
  })

  it('reads the next piece into the buffer of the piece it evicted; blocks handed out keep their bytes', async () => {
    const served = new ServedPieces(1)
    const buffers: Uint8Array[] = []
    const load = (index: number) => async (into: Uint8Array): Promise<Result<Uint8Array>> => {
      buffers.push(into)
      into.set(content(index))
      return ok(into)
    }
    const a = await block(served, 0, 0, 8, load(0))
    const b = await block(served, 1, 0, 8, load(1)) // evicts 0: its buffer is free again
    const c = await block(served, 2, 0, 8, load(2)) // read into 0's buffer
    expect(buffers).toHaveLength(3)
    expect(buffers[2]).toBe(buffers[0])
    expect(a.ok && Array.from(a.value)).toEqual(new Array(8).fill(1))
    expect(b.ok && Array.from(b.value)).toEqual(new Array(8).fill(2))
    expect(c.ok && Array.from(c.value)).toEqual(new Array(8).fill(3))
  })

  it('gives a failed load to every waiter, never reuses its buffer, and tries again next time', async () => {
    const served = new ServedPieces(2)
    const buffers: Uint8Array[] = []
    let fails = true
    const load = async (into: Uint8Array): Promise<Result<Uint8Array>> => {
      buffers.push(into)
      if (fails) return fail('EIO', 'the disk said no')
      into.set(content(7))
      return ok(into)
    }
    const both = await Promise.all([block(served, 7, 0, 4, load), block(served, 7, 4, 4, load)])
    expect(both.map(r => r.ok ? 'ok' : r.error.message)).toEqual(['the disk said no', 'the disk said no'])
    fails = false
    const later = await block(served, 7, 0, 4, load)
    expect(later.ok && Array.from(later.value)).toEqual([8, 8, 8, 8])
    expect(buffers).toHaveLength(2)
    expect(buffers[1]).not.toBe(buffers[0])
  })
})

describe('a guarded store serving blocks', () => {
  const dirs: string[] = []
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

  it('serves every block of more pieces than it caches, in any order, byte for byte', async () => {
    const pieceLength = 16_384
    const dir = mkdtempSync(join(tmpdir(), 'sd-served-'))
    dirs.push(dir)
    const data = randomBytes(pieceLength * 20 + 1000)
    const path = join(dir, 'big.bin')
    writeFileSync(path, data)
    const hashes: Buffer[] = []
    for (let o = 0; o < data.length; o += pieceLength) hashes.push(createHash('sha1').update(data.subarray(o, o + pieceLength)).digest())
    const files = [{ path, label: 'big.bin', offset: 0, length: data.length, mtimeMs: statSync(path).mtimeMs }]
    const spec = { files, pieceLength, pieceHashes: Buffer.concat(hashes), onChanged: () => undefined }
    const store = new FileStore(pieceLength, { path: '', files: [], length: data.length, name: 'x', fileStore: { targets: files, readOnly: true, guard: spec } })
    const get = (i: number, offset: number, length: number): Promise<Uint8Array> =>
      new Promise((resolve, reject) => store.get(i, { offset, length }, (err, v) => err || !v ? reject(err ?? new Error('no bytes')) : resolve(v)))
    try {
      const pieces = hashes.length
      // Interleaved: blocks of pieces 0, 19, 1, 18, ... (past the 8 cached pieces, so buffers are reused).
      const order = Array.from({ length: pieces }, (_, k) => k % 2 === 0 ? k / 2 : pieces - 1 - (k - 1) / 2)
      const blockLength = 4096
      for (const i of order) {
        const length = Math.min(pieceLength, data.length - i * pieceLength)
        const offsets = Array.from({ length: Math.ceil(length / blockLength) }, (_, k) => k * blockLength)
        const got = await Promise.all(offsets.map(o => get(i, o, Math.min(blockLength, length - o))))
        const whole = Buffer.concat(got.map(b => Buffer.from(b)))
        expect(whole.equals(data.subarray(i * pieceLength, i * pieceLength + length))).toBe(true)
      }
    } finally {
      await new Promise(resolve => store.close(resolve))
    }
  })
})
