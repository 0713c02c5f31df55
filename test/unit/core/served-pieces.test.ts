// A seeder serving a person's files keeps the pieces it serves in buffers it reuses
// (served-pieces.ts): a block is a view of a cached piece, and a piece's buffer is read into again
// only once it left the cache and every view of it was released. A view still queued on a socket
// must never see its bytes change.
import { describe, expect, it } from 'vitest'
import { ok, type Result } from '../../../common/result.js'
import { ServedPieces, type LentBlock } from '../../../main/core/engine/served-pieces.js'

const PIECE = 4096

/** A loader that fills a piece with its index, and counts the buffers it was handed. */
function loader (): { load: (index: number) => (into: Buffer) => Promise<Result<Buffer>>, buffers: Set<ArrayBufferLike> } {
  const buffers = new Set<ArrayBufferLike>()
  return {
    buffers,
    load: index => async into => {
      buffers.add(into.buffer)
      into.fill(index & 0xff)
      return ok(into)
    }
  }
}

async function block (served: ServedPieces, index: number, load: (into: Buffer) => Promise<Result<Buffer>>, offset = 0, length = PIECE): Promise<LentBlock> {
  return await new Promise((resolve, reject) => served.get(index, PIECE, offset, length, load, r => { if (r.ok) resolve(r.value); else reject(new Error(r.error.message)) }))
}

describe('served pieces', () => {
  it('a view keeps its bytes while it is lent, however many pieces are read after it', async () => {
    const served = new ServedPieces(2)
    const l = loader()
    const held = await block(served, 1, l.load(1), 100, 1000)
    // Twenty more pieces go through the two cache slots; piece 1 leaves the cache early on.
    for (let i = 2; i < 22; i++) (await block(served, i, l.load(i))).release?.()
    expect(held.every(b => b === 1)).toBe(true)
    held.release?.()
    // Released and out of the cache: its buffer is read into again.
    const before = l.buffers.size
    for (let i = 30; i < 34; i++) (await block(served, i, l.load(i))).release?.()
    expect(l.buffers.size).toBe(before)
  })

  it('reuses buffers: a long run of pieces needs only a few', async () => {
    const served = new ServedPieces(4)
    const l = loader()
    for (let i = 0; i < 200; i++) {
      const b = await block(served, i, l.load(i), 8, 64)
      expect(b.every(x => x === (i & 0xff))).toBe(true)
      b.release?.()
    }
    expect(l.buffers.size).toBeLessThanOrEqual(6)
  })

  it('keeps no emptied buffer: a load whose buffer went elsewhere (the disk thread) answers in another', async () => {
    const served = new ServedPieces(4)
    // As a batch read does: `into`'s memory is transferred away and the bytes come back in it.
    const load = (index: number) => async (into: Buffer): Promise<Result<Buffer>> => {
      const { port1, port2 } = new MessageChannel()
      const memory = into.buffer as ArrayBuffer
      port1.postMessage(memory, [memory])
      port1.close(); port2.close()
      expect(into.byteLength).toBe(0)
      return ok(Buffer.allocUnsafeSlow(PIECE).fill(index & 0xff))
    }
    for (let i = 0; i < 50; i++) {
      const b = await block(served, i, load(i), 0, 16)
      expect(b.length).toBe(16)
      expect(b.every(x => x === (i & 0xff))).toBe(true)
      b.release?.()
    }
    // Pieces left the cache and their buffers are handed to later loads, never an empty one.
    expect(served.freeBuffers).toBeLessThanOrEqual(4)
    // Loads that answer in their own buffer then need only a few: the free list holds usable ones.
    const l = loader()
    for (let i = 100; i < 140; i++) {
      const b = await block(served, i, l.load(i))
      expect(b.every(x => x === (i & 0xff))).toBe(true)
      b.release?.()
    }
    expect(l.buffers.size).toBeLessThanOrEqual(6)
  })

  it('a cached piece serves views of one buffer; releasing twice counts once', async () => {
    const served = new ServedPieces(2)
    const l = loader()
    const a = await block(served, 5, l.load(5), 0, 10)
    const b = await block(served, 5, l.load(5), 10, 10)
    expect(a.buffer).toBe(b.buffer)
    a.release?.(); a.release?.()
    // b still holds the buffer: evicting piece 5 must not free it.
    for (let i = 6; i < 12; i++) (await block(served, i, l.load(i))).release?.()
    expect(b.every(x => x === 5)).toBe(true)
    b.release?.()
  })
})
