// A graceful stop drains: the download finishes the pieces it has begun and asks for no others, so
// nothing it received is lost (a piece's blocks live only in memory until the piece is complete).
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { Engine, type TransferStats } from '../../../main/core/engine/engine.js'
import { engineFixture } from './engine-fixture.js'

const MiB = 1024 * 1024
/** receivedBytes counts message headers too (13 bytes a block): less than one block is no data. */
const BLOCK = 16 * 1024
const { tmp, engine } = engineFixture('sd-drain-')
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

function statsOf (e: Engine, ih: string): TransferStats {
  const s = e.stats(ih)
  if (!s) throw new Error('no such transfer')
  return s
}

async function until (what: string, test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

describe('engine drain', () => {
  it('completes the begun pieces, asks for no new ones, and keeps every byte it received', async () => {
    const src = join(tmp(), 'slow.bin')
    writeFileSync(src, randomBytes(48 * MiB))
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: MiB })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    // A slow sender keeps several pieces begun (requested, partly received) at any moment.
    const origin = await engine({ uploadLimit: 6 * MiB })
    expect(origin.seed({ metainfo: m, targets: [{ path: src, length: m.totalLength, offset: 0 }] }).ok).toBe(true)
    const r = await engine()
    expect(r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'slow.bin' }, true) }).ok).toBe(true)
    r.connect(m.infoHash, [`127.0.0.1:${origin.port}`])

    await until('some pieces', () => statsOf(r, m.infoHash).verifiedPieces >= 4, 20_000)
    // From one peer pieces come in order, one begun at a time: wait for a moment inside one.
    await until('a begun piece', () => { const s = statsOf(r, m.infoHash); return s.receivedBytes - s.verifiedBytes > BLOCK }, 10_000)
    const before = statsOf(r, m.infoHash)
    // Blocks of pieces not yet complete have arrived: without a drain they would be lost.
    expect(before.receivedBytes - before.verifiedBytes).toBeGreaterThan(BLOCK)

    await r.drain(10_000)
    const drained = statsOf(r, m.infoHash)
    expect(drained.done).toBe(false)
    // Everything received belongs to a verified piece: nothing half-received is left.
    expect(drained.receivedBytes - drained.verifiedBytes).toBeLessThan(BLOCK)
    expect(drained.verifiedPieces).toBeGreaterThan(before.verifiedPieces)

    await sleep(1_000)
    const later = statsOf(r, m.infoHash)
    // No piece was begun after the drain.
    expect(later.receivedBytes).toBe(drained.receivedBytes)
    expect(later.verifiedPieces).toBe(drained.verifiedPieces)
  }, 60_000)
})
