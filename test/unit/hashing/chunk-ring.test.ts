import { describe, it, expect } from 'vitest'
import { ChunkRing } from '../../../main/core/hashing/chunk-ring.js'
import type { StreamLayout } from '../../../main/core/hashing/hash-protocol.js'

// One thread playing every role in turn: the bookkeeping only, no files and no hashing.
function ring (lengths: readonly number[], pieceLength: number | null, chunkLength: number, slots: number): ChunkRing {
  const layout: StreamLayout = { files: lengths.map((length, i) => ({ path: `/f${i}`, length })), pieceLength, chunkLength, slots }
  return new ChunkRing(ChunkRing.allocate(layout))
}

describe('ChunkRing', () => {
  it('counts chunks and pieces like the plan, with one empty chunk for empty files', () => {
    const r = ring([100, 0, 60], 20, 40, 2)
    expect([r.totalBytes, r.chunkCount, r.pieceCount]).toEqual([160, 4, 8])
    const empty = ring([0, 0], 20, 40, 2)
    expect([empty.chunkCount, empty.pieceCount]).toEqual([1, 0])
    expect(empty.chunk(0).length).toBe(0)
  })

  it('allocates no more slots than there are chunks', () => {
    const start = ChunkRing.allocate({ files: [{ path: '/a', length: 50 }], pieceLength: 10, chunkLength: 40, slots: 8 })
    expect(start.slots).toBe(2)
    expect(start.data.byteLength).toBe(80)
    expect(start.pieces.byteLength).toBe(5 * 20)
  })

  it('refills a slot only after its chunk has both its SHA-256 and every piece hash', () => {
    const r = ring([100], 20, 40, 2) // chunks of 40, 40, 20 bytes; two pieces per full chunk
    expect([r.isFree(0), r.isFree(1)]).toEqual([true, true])
    r.publish(0)
    r.publish(1)
    expect(r.isFree(2)).toBe(false)
    r.markHashed(0)
    expect(r.isFree(2)).toBe(false) // pieces 0 and 1 still unhashed
    expect(r.claimPiece()).toBe(0)
    expect(r.claimPiece()).toBe(1)
    r.storePieceHash(0, new Uint8Array(20).fill(1))
    expect(r.isFree(2)).toBe(false)
    r.storePieceHash(1, new Uint8Array(20).fill(2))
    expect(r.isFree(2)).toBe(true)
    expect(r.isFree(3)).toBe(false) // chunk 1 is not hashed yet
  })

  it('hands out pieces in order, once each, only from chunks already read', () => {
    const r = ring([100], 20, 40, 3)
    expect(r.claimPiece()).toBe(-1)
    r.publish(0)
    expect([r.claimPiece(), r.claimPiece(), r.claimPiece()]).toEqual([0, 1, -1])
    r.publish(1)
    r.publish(2)
    expect([r.claimPiece(), r.claimPiece(), r.claimPiece(), r.claimPiece()]).toEqual([2, 3, 4, -1])
    expect(r.allPiecesClaimed()).toBe(true)
  })

  it('maps pieces and chunks onto their slots, the last piece short', () => {
    const r = ring([100], 20, 40, 2)
    r.chunk(0).set(new Uint8Array(40).map((_, i) => i))
    expect([...r.piece(1)]).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i))
    expect(r.chunk(2).length).toBe(20)
    expect(r.chunk(2).byteOffset).toBe(r.chunk(0).byteOffset) // chunk 2 reuses slot 0
    expect(r.piece(4).length).toBe(20)
  })

  it('is finished when every chunk is SHA-256ed and every piece stored, and reports bytes done', () => {
    const r = ring([50], 20, 40, 2)
    r.publish(0)
    r.publish(1)
    r.markHashed(0)
    r.markHashed(1)
    expect(r.isFinished()).toBe(false)
    expect(r.bytesDone()).toBe(0)
    for (let p = r.claimPiece(); p >= 0; p = r.claimPiece()) r.storePieceHash(p, new Uint8Array(20).fill(p + 1))
    expect(r.isFinished()).toBe(true)
    expect(r.bytesDone()).toBe(50)
    expect([...r.pieceHashes()]).toEqual([...new Uint8Array(20).fill(1), ...new Uint8Array(20).fill(2), ...new Uint8Array(20).fill(3)])
  })

  it('wakes the hashing threads on data and the reader on room, and never misses a change', async () => {
    const r = ring([100], 20, 40, 1) // one slot: chunk 1 must wait for chunk 0
    const data = r.dataSequence()
    const room = r.roomSequence()
    r.publish(0)
    expect(r.dataSequence()).not.toBe(data)
    expect(r.roomSequence()).toBe(room)
    const started = Date.now()
    r.waitForData(data) // returns at once: the sequence moved
    expect(Date.now() - started).toBeLessThan(1000)
    r.markHashed(0)
    expect(r.roomSequence()).toBe(room) // pieces of chunk 0 still to do
    r.storePieceHash(r.claimPiece(), new Uint8Array(20))
    expect(r.roomSequence()).toBe(room)
    const woken = r.roomChanged(room)
    r.storePieceHash(r.claimPiece(), new Uint8Array(20))
    expect(r.roomSequence()).not.toBe(room)
    await woken
    expect(r.isFree(1)).toBe(true)
  })

  it('wakes every waiter on abort', async () => {
    const r = ring([100], 20, 40, 2)
    const woken = r.roomChanged(r.roomSequence())
    const data = r.dataSequence()
    r.abort()
    await woken
    r.waitForData(data)
    expect(r.isAborted()).toBe(true)
  })
})
