// A rate the operator reads must fall when the transfer behind it stops. WebTorrent's torrent-wide
// rate is a five-second average over every connection, closed ones too, so the origin of a machine
// killed mid-transfer went on showing most of its upload rate for seconds (README, session 22).
// The engine's rates are now the sum of the open connections' own.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, identity } from './engine-fixture.js'

const { tmp, engine } = engineFixture('sd-rates-')

/** Waits for `cond`, checking every 20 ms, for at most `ms`. */
async function until (cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('transfer rates', () => {
  it('the origin\'s upload rate is zero once the machine it was sending to is gone', async () => {
    const a = identity()
    const b = identity()
    const members = [{ id: a.id, address: '127.0.0.1' }, { id: b.id, address: '127.0.0.1' }]
    const src = join(tmp(), 'data.bin')
    writeFileSync(src, randomBytes(32 * 1024 * 1024))
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: 256 * 1024 })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    const o = await engine({ identity: a })
    // Slow enough that the transfer is under way for seconds.
    o.setLimits(4 * 1024 * 1024, undefined)
    const seeded = o.seed({ metainfo: m, targets: created.value.source.entries.map((s, i) => ({ path: s.absolutePath, length: s.length, offset: m.files[i]?.offset ?? 0 })), members, schedule: { role: 'origin' } })
    if (!seeded.ok) throw new Error(seeded.error.message)

    const r = await engine({ identity: b })
    const started = r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), members })
    if (!started.ok) throw new Error(started.error.message)
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => (o.stats(m.infoHash)?.uploadSpeed ?? 0) > 1024 * 1024 && (r.stats(m.infoHash)?.verifiedPieces ?? 0) > 4, 15_000, 'the transfer to get under way')
    expect(r.stats(m.infoHash)?.done).toBe(false)

    await r.stop() // the recipient is gone mid-transfer: its connection ends
    await until(() => o.stats(m.infoHash)?.peers.length === 0, 5_000, 'the origin to see the connection end')
    const torrentWide = (o as unknown as { entries: Map<string, { torrent: { uploadSpeed: number } }> }).entries.get(m.infoHash)?.torrent.uploadSpeed ?? 0
    // WebTorrent's own average still counts the last seconds of the closed connection...
    expect(torrentWide).toBeGreaterThan(0)
    // ...the rates the operator sees do not.
    expect(o.stats(m.infoHash)?.uploadSpeed).toBe(0)
    expect(o.rates.upload).toBe(0)
  }, 30_000)
})
