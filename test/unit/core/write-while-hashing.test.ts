// A received piece is written while its SHA-1 is taken, not after: when the hash waits for a core
// (the piece-check thread behind other work), a crash still finds the piece on disk, where the
// restart's check keeps it if it matches. Here the recipient's hashes are held back until the test
// lets them go: each held piece must already be in the .part file, and none is marked verified
// before its hash is in.
import { createHash } from 'node:crypto'
import { openSync, readSync, closeSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-write-hash-')
const PIECE = 256 * 1024

type Hasher = (buf: Uint8Array) => Promise<string>

function readAt (path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const out = Buffer.alloc(length)
    readSync(fd, out, 0, length, position)
    return out
  } finally { closeSync(fd) }
}

describe('a received piece is written while it is hashed', () => {
  it('is in the .part file before its hash is in, and verified only after', async () => {
    const { origin: o, recipient, members, metainfo: m, data } = await memberOrigin(8 * PIECE, PIECE)
    const r = await engine({ identity: recipient })
    const targets = targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true)
    expect(r.download({ metainfo: m, targets, members }).ok).toBe(true)
    // Every hash is held until the test lets it go.
    const held: Array<{ index: number, release: () => void }> = []
    torrentOf<{ pieceHasher: Hasher | null }>(r, m.infoHash).pieceHasher = async buf => {
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
