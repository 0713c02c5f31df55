// A seeder serving a standard peer sends 16 KiB blocks, each with its header, in batches of up to
// 256 KiB (bittorrent-protocol's patched _flushBatch). Each batch used to be a fresh zero-filled
// buffer: a quarter of the seeder's CPU. Now a batch carrying piece data is copied into a buffer
// from a pool and given back once the socket wrote it, so a steady stream reuses a few buffers —
// and a buffer still queued on a socket is never written into.
import Wire from 'bittorrent-protocol'
import { describe, expect, it } from 'vitest'

type Release = () => void

interface TestWire {
  _sink: ((chunk: Uint8Array, written?: Release) => void) | null
  piece (index: number, offset: number, block: Uint8Array): void
  destroy (): void
}

const BLOCK = 16 * 1024

async function tick (): Promise<void> { await new Promise(resolve => setTimeout(resolve, 0)) }

describe('batches of piece data', () => {
  it('reuse a few pooled buffers once the socket wrote them, and never one still being written', async () => {
    const wire = new (Wire as unknown as new () => TestWire)()
    const pending: Array<{ chunk: Uint8Array, copy: Uint8Array, written?: Release }> = []
    wire._sink = (chunk, written) => { pending.push({ chunk, copy: Uint8Array.from(chunk), ...(written ? { written } : {}) }) }
    const buffers = new Set<ArrayBufferLike>()
    for (let round = 0; round < 20; round++) {
      // A turn's worth of blocks (32 × 16 KiB: two batches), each block a value of its own.
      for (let k = 0; k < 32; k++) wire.piece(round, k * BLOCK, new Uint8Array(BLOCK).fill((round * 32 + k) % 251))
      await tick()
      // What the socket holds now must still be what was queued: no pooled buffer reused under it.
      for (const p of pending) expect(Buffer.from(p.chunk).equals(Buffer.from(p.copy))).toBe(true)
      for (const p of pending.splice(0)) {
        buffers.add(p.chunk.buffer)
        p.written?.()
      }
    }
    // 40 batches of 256 KiB went out through two buffers, not forty.
    expect(buffers.size).toBeLessThanOrEqual(3)
    wire.destroy()
  })
})
