// A rate the operator reads must fall when the transfer behind it stops. WebTorrent's torrent-wide
// rate is a five-second average over every connection, closed ones too, so the origin of a machine
// killed mid-transfer went on showing most of its upload rate for seconds (README, session 22).
// The engine's rates are now the sum of the open connections' own.
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-rates-')

describe('transfer rates', () => {
  it('the origin\'s upload rate is zero once the machine it was sending to is gone', async () => {
    // Slow enough that the transfer is under way for seconds.
    const { origin: o, recipient, members, metainfo: m } = await memberOrigin(32 * 1024 * 1024, 256 * 1024, { uploadLimit: 4 * 1024 * 1024 })
    const r = await engine({ identity: recipient })
    const started = r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), members })
    if (!started.ok) throw new Error(started.error.message)
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => (o.stats(m.infoHash)?.uploadSpeed ?? 0) > 1024 * 1024 && (r.stats(m.infoHash)?.verifiedPieces ?? 0) > 4, 15_000, 'the transfer to get under way')
    expect(r.stats(m.infoHash)?.done).toBe(false)

    await r.stop() // the recipient is gone mid-transfer: its connection ends
    await until(() => o.stats(m.infoHash)?.peers.length === 0, 5_000, 'the origin to see the connection end')
    // WebTorrent's own average still counts the last seconds of the closed connection...
    expect(torrentOf<{ uploadSpeed: number }>(o, m.infoHash).uploadSpeed).toBeGreaterThan(0)
    // ...the rates the operator sees do not.
    expect(o.stats(m.infoHash)?.uploadSpeed).toBe(0)
    expect(o.rates.upload).toBe(0)
  }, 30_000)
})
