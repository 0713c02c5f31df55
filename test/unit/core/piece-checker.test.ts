// SHA-1 of received pieces off the main loop: a piece in shared memory is hashed on the checker's
// thread (the call returns at once and the event loop keeps running), any other piece here; every
// digest is the piece's SHA-1, also for pieces in flight when the checker stops.
import { createHash, randomFillSync } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MIN_THREAD_BYTES, PieceChecker } from '../../../main/core/hashing/piece-checker.js'

const checkers: PieceChecker[] = []
afterEach(async () => { for (const c of checkers.splice(0)) await c.stop() })

function checker (minThreadBytes?: number): PieceChecker {
  const c = new PieceChecker(minThreadBytes)
  checkers.push(c)
  return c
}

function sharedPiece (bytes: number): Uint8Array {
  const piece = new Uint8Array(new SharedArrayBuffer(bytes))
  for (let at = 0; at < bytes; at += 65536) randomFillSync(piece, at, Math.min(65536, bytes - at))
  return piece
}

const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex')

describe('PieceChecker', () => {
  it('hashes a piece in shared memory on its thread, without holding up the event loop', async () => {
    const c = checker()
    await c.sha1Hex(sharedPiece(MIN_THREAD_BYTES)) // the thread is up
    const piece = sharedPiece(128 * 1024 * 1024)
    const t0 = performance.now()
    sha1(piece)
    const inline = performance.now() - t0
    let ticks = 0
    const timer = setInterval(() => { ticks++ }, 1)
    const t1 = performance.now()
    const digest = c.sha1Hex(piece)
    const call = performance.now() - t1
    const hex = await digest
    clearInterval(timer)
    expect(hex).toBe(sha1(piece))
    // Hashing 128 MiB here takes tens of ms or more; the call only posts the piece to the thread.
    expect(call).toBeLessThan(inline / 4)
    expect(ticks).toBeGreaterThan(0)
  }, 30_000)

  it('hashes a piece in ordinary memory, or a small one, on the calling thread, with the same digest', async () => {
    const c = checker()
    const plain = new Uint8Array(2 * MIN_THREAD_BYTES).fill(7)
    const hex = c.sha1Hex(plain)
    const small = sharedPiece(MIN_THREAD_BYTES / 2)
    const smallHex = c.sha1Hex(small)
    // Hashed during the call: the thread was never started, so no message can be pending.
    expect((c as unknown as { worker?: unknown }).worker).toBeUndefined()
    expect(await hex).toBe(sha1(plain))
    expect(await smallHex).toBe(sha1(small))
  })

  it('gives every piece in flight its digest when stopped, and hashes here afterwards', async () => {
    const c = checker(1)
    const pieces = [1, 2, 3].map(() => sharedPiece(4 * 1024 * 1024))
    const digests = pieces.map(p => c.sha1Hex(p))
    await c.stop()
    expect(await Promise.all(digests)).toEqual(pieces.map(sha1))
    const later = sharedPiece(1024)
    expect(await c.sha1Hex(later)).toBe(sha1(later))
  })
})
