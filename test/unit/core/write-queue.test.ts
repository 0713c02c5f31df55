// A download begins no new piece while pieces wait for the disk: with two pieces (or 4 MiB) whose
// writes have not completed, requests wait. A crash loses every piece received and not yet on
// disk: before, when the disk fell behind, up to the whole begun budget (16 MiB, eight pieces of
// 2 MiB) waited in memory, and a SIGKILL halfway through 4 GiB fetched 6-7 pieces twice
// (session 26; 1-2.5 with the cap).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-wqueue-')
const MiB = 1024 * 1024

type PutCallback = (err: Error | null) => void
interface HeldStore { put: (index: number, buf: Uint8Array, cb: PutCallback) => void }
interface StoreTorrent { store: HeldStore | null, on: (event: 'verified', listener: (index: number) => void) => void }

describe('pieces waiting for the disk', () => {
  it('hold new pieces back while two of 2 MiB wait for their writes, and the download completes once the disk catches up', async () => {
    const { origin: o, recipient, members, metainfo: m, data } = await memberOrigin(48 * MiB, 2 * MiB)
    const r = await engine({ identity: recipient })
    const targets = targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true)
    expect(r.download({ metainfo: m, targets, members }).ok).toBe(true)
    const torrent = torrentOf<StoreTorrent>(r, m.infoHash)
    await until(() => torrent.store !== null, 5_000, 'the store')
    const store = torrent.store as HeldStore
    // A disk that stalls: every write waits until the test lets it through.
    const held: Array<() => void> = []
    let holding = true
    let most = 0
    const put = store.put.bind(store)
    store.put = (index, buf, cb) => {
      if (!holding) { put(index, buf, cb); return }
      held.push(() => { put(index, buf, cb) })
      most = Math.max(most, held.length)
    }
    let done = false
    r.on('done', ih => { if (ih === m.infoHash) done = true })
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => held.length >= 2, 20_000, 'two writes to wait')
    await new Promise(resolve => setTimeout(resolve, 1500)) // time to ask for more, if it would
    // Two wait, plus what was already asked when they did (the 4 MiB pipeline: two pieces).
    expect(most).toBeLessThanOrEqual(4)
    holding = false
    for (const release of held.splice(0)) release()
    await until(() => done, 30_000, 'the download after the disk caught up')
    expect(readFileSync(targets[0]?.path ?? '').equals(data)).toBe(true)
  }, 60_000)
})
