// A received piece is written while its SHA-1 is taken, not after: when the hash waits for a core
// (the piece-check thread behind other work), a crash still finds the piece on disk, where the
// restart's check keeps it if it matches. Here the recipient's hashes are held back until the test
// lets them go: each held piece must already be in the .part file, and none is marked verified
// before its hash is in.
import { createHash, randomBytes } from 'node:crypto'
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import type { Engine } from '../../../main/core/engine/engine.js'
import { engineFixture, identity } from './engine-fixture.js'

const { tmp, engine } = engineFixture('sd-write-hash-')
const PIECE = 256 * 1024

type Hasher = (buf: Uint8Array) => Promise<string>

/** The engine's WebTorrent torrent of `infoHash` (internal: this test replaces its hash hook). */
function torrentOf (e: Engine, infoHash: string): { pieceHasher: Hasher | null } {
  const entry = (e as unknown as { entries: Map<string, { torrent: { pieceHasher: Hasher | null } }> }).entries.get(infoHash)
  if (entry === undefined) throw new Error('no torrent in the engine')
  return entry.torrent
}

function readAt (path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const out = Buffer.alloc(length)
    readSync(fd, out, 0, length, position)
    return out
  } finally { closeSync(fd) }
}

async function until (cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('a received piece is written while it is hashed', () => {
  it('is in the .part file before its hash is in, and verified only after', async () => {
    const a = identity()
    const b = identity()
    const members = [{ id: a.id, address: '127.0.0.1' }, { id: b.id, address: '127.0.0.1' }]
    const data = randomBytes(8 * PIECE)
    const src = join(tmp(), 'data.bin')
    writeFileSync(src, data)
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: PIECE })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    const o = await engine({ identity: a })
    expect(o.seed({ metainfo: m, targets: [{ path: src, length: m.totalLength, offset: 0 }], members, schedule: { role: 'origin' } }).ok).toBe(true)

    const r = await engine({ identity: b })
    const targets = targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true)
    expect(r.download({ metainfo: m, targets, members }).ok).toBe(true)
    // Every hash is held until the test lets it go.
    const held: Array<{ index: number, release: () => void }> = []
    torrentOf(r, m.infoHash).pieceHasher = async buf => {
      const hex = createHash('sha1').update(buf).digest('hex')
      const index = [...Array(m.pieceCount).keys()].find(i => Buffer.from(m.pieceHashes.subarray(i * 20, i * 20 + 20)).toString('hex') === hex) ?? -1
      await new Promise<void>(resolve => held.push({ index, release: resolve }))
      return hex
    }
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => held.length >= 3, 15_000, 'three pieces to wait for their hash')

    const part = targets[0]?.path ?? ''
    for (const h of held.slice(0, 3)) {
      expect(h.index).toBeGreaterThanOrEqual(0)
      const expected = data.subarray(h.index * PIECE, (h.index + 1) * PIECE)
      // Written while the hash is held (the write is on the disk thread: allow it a moment).
      await until(() => readAt(part, h.index * PIECE, PIECE).equals(expected), 5_000, `piece ${h.index} on disk before its hash`)
    }
    expect(r.stats(m.infoHash)?.verifiedPieces).toBe(0)

    // Let every hash go, now and as they come: the download completes and verifies.
    const done = new Promise<void>(resolve => r.on('done', ih => { if (ih === m.infoHash) resolve() }))
    const pump = setInterval(() => { for (const h of held.splice(0)) h.release() }, 10)
    try {
      await done
    } finally { clearInterval(pump) }
    expect(r.stats(m.infoHash)?.verifiedPieces).toBe(m.pieceCount)
  }, 40_000)
})
