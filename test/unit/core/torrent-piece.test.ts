// The patched torrent-piece: with piece buffers, a run of new blocks is copied into the piece's
// buffer in one copy and only marked present (no view per block); has() says which blocks came,
// get() makes a block's view on demand, and flush() returns the buffer with every block in place,
// those set without buffers included. Without buffers it behaves as upstream (views, concatenated).
import Piece from 'torrent-piece'
import { describe, expect, it } from 'vitest'

const BLOCK = 16 * 1024

interface TestPiece {
  readonly missing: number
  readonly sources: unknown[] | null
  set (i: number, data: Uint8Array, source: unknown, buffers?: { take (length: number): Uint8Array }): boolean
  get (i: number): Uint8Array | undefined | null
  has (i: number): boolean
  flush (): Uint8Array | null
}
const newPiece = (length: number): TestPiece => new (Piece as unknown as new (length: number) => TestPiece)(length)

/** Piece buffers that hand out one buffer and count the views made of it. */
function buffers (): { take (length: number): Uint8Array, taken: Uint8Array[], views: () => number } {
  const taken: Uint8Array[] = []
  let views = 0
  return {
    take (length: number): Uint8Array {
      const buf = new Uint8Array(length).fill(0xee) // a reused buffer's stale bytes
      const subarray = buf.subarray.bind(buf)
      buf.subarray = (begin?: number, end?: number) => { views++; return subarray(begin, end) }
      taken.push(buf)
      return buf
    },
    taken,
    views: () => views
  }
}

/** `blocks` blocks of bytes `fill`, `fill + 1`, ... (the last `lastLength` long), counting views of it. */
function blocksOf (fill: number, blocks: number, lastLength = BLOCK): { data: Uint8Array, views: () => number } {
  const data = new Uint8Array((blocks - 1) * BLOCK + lastLength)
  for (let k = 0; k < blocks; k++) data.fill(fill + k, k * BLOCK, (k + 1) * BLOCK)
  let views = 0
  const subarray = data.subarray.bind(data)
  data.subarray = (begin?: number, end?: number) => { views++; return subarray(begin, end) }
  return { data, views: () => views }
}

describe('torrent-piece with piece buffers', () => {
  it('copies a run of new blocks at once, without a view per block, and reports them present', () => {
    const piece = newPiece(4 * BLOCK)
    const pool = buffers()
    const run = blocksOf(1, 3)
    expect(piece.set(0, run.data, 'a', pool)).toBe(false)
    expect(run.views()).toBe(0) // all of it was new: copied as it is
    expect(pool.views()).toBe(0)
    expect([0, 1, 2, 3].map(k => piece.has(k))).toEqual([true, true, true, false])
    expect(piece.missing).toBe(BLOCK)
    expect(piece.get(1)).toEqual(new Uint8Array(BLOCK).fill(2))
    expect(piece.get(3)).toBeUndefined()
  })

  it('keeps a block it has (a duplicate is neither copied over it nor counted again)', () => {
    const piece = newPiece(4 * BLOCK)
    const pool = buffers()
    piece.set(1, blocksOf(50, 1).data, 'a', pool)
    const run = blocksOf(1, 4)
    expect(piece.set(0, run.data, 'b', pool)).toBe(true)
    expect(run.views()).toBe(2) // two runs of new blocks, one view each: [0] and [2, 3]
    expect(piece.missing).toBe(0)
    expect(piece.sources).toEqual(['a', 'b'])
    expect(piece.set(2, blocksOf(90, 1).data, 'c', pool)).toBe(true) // late duplicate
    expect(piece.sources).toEqual(['a', 'b'])
    const buf = piece.flush()
    expect(buf).toBe(pool.taken[0])
    expect(pool.taken.length).toBe(1)
    expect(Array.from({ length: 4 }, (_, k) => buf?.[k * BLOCK])).toEqual([1, 50, 3, 4])
  })

  it('flushes the buffer with every block in place, those set without buffers and a short last one included', () => {
    const piece = newPiece(3 * BLOCK + 100)
    const pool = buffers()
    piece.set(0, blocksOf(1, 1).data, 'a') // before the buffer was taken
    piece.set(1, blocksOf(2, 1).data, 'a', pool)
    piece.set(2, blocksOf(3, 1).data, 'a') // after
    expect(piece.get(2)).toEqual(new Uint8Array(BLOCK).fill(3))
    expect(piece.set(3, blocksOf(4, 1, 100).data, 'a', pool)).toBe(true)
    expect(piece.get(3)).toEqual(new Uint8Array(100).fill(4))
    const buf = piece.flush()
    expect(buf).toBe(pool.taken[0])
    const expected = new Uint8Array(3 * BLOCK + 100)
    for (let k = 0; k < 4; k++) expected.fill(k + 1, k * BLOCK, (k + 1) * BLOCK)
    expect(Buffer.compare(Buffer.from(buf ?? []), expected)).toBe(0)
    expect(piece.has(0)).toBe(false) // flushed: nothing more is kept
    expect(piece.set(0, blocksOf(9, 1).data, 'a', pool)).toBe(false)
  })
})

describe('torrent-piece without piece buffers', () => {
  it('keeps views of the received data and concatenates them at flush', () => {
    const piece = newPiece(2 * BLOCK + 10)
    const first = blocksOf(1, 2)
    piece.set(0, first.data, 'a')
    expect(piece.get(1)?.buffer).toBe(first.data.buffer) // a view, not a copy
    expect(piece.has(1)).toBe(true)
    expect(piece.has(2)).toBe(false)
    expect(piece.set(1, blocksOf(7, 2, 10).data, 'b')).toBe(true)
    const buf = piece.flush()
    expect(buf?.length).toBe(2 * BLOCK + 10)
    expect([buf?.[0], buf?.[BLOCK], buf?.[2 * BLOCK]]).toEqual([1, 2, 8])
  })
})

interface RunPiece {
  reserveRun (maxBlocks: number): [number, number] | null
  cancel (i: number): void
}
const runPiece = (length: number): RunPiece => new (Piece as unknown as new (length: number) => RunPiece)(length)

describe('torrent-piece runs of blocks (a member\'s larger requests)', () => {
  it('asks a refused run again as one run, not block by block', () => {
    const piece = runPiece(32 * BLOCK)
    expect(piece.reserveRun(32)).toEqual([0, 32])
    expect(piece.reserveRun(32)).toBeNull()
    // The member asked refuses it (or its wire closes): every block is cancelled.
    for (let k = 0; k < 32; k++) piece.cancel(k)
    expect(piece.reserveRun(32)).toEqual([0, 32])
    expect(piece.reserveRun(32)).toBeNull()
  })

  it('joins only consecutive cancelled blocks, at most maxBlocks of them, lowest first', () => {
    const piece = runPiece(32 * BLOCK)
    expect(piece.reserveRun(16)).toEqual([0, 16])
    for (const k of [9, 3, 5, 4, 12, 13, 14, 15]) piece.cancel(k)
    expect(piece.reserveRun(2)).toEqual([3, 2])
    expect(piece.reserveRun(8)).toEqual([5, 1])
    expect(piece.reserveRun(8)).toEqual([9, 1])
    expect(piece.reserveRun(8)).toEqual([12, 4])
    // Then the blocks never reserved.
    expect(piece.reserveRun(32)).toEqual([16, 16])
    expect(piece.reserveRun(32)).toBeNull()
  })
})
