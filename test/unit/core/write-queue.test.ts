// What is asked of a peer, what arrived of the pieces it is filling, and what was received whole
// and waits for the disk stay within one pipeline (4 MiB) together. A crash loses both: before session 26, when the disk fell behind, up to the
// whole begun budget (16 MiB, eight pieces of 2 MiB) waited in memory, and a SIGKILL halfway
// through 4 GiB fetched 6-7 pieces twice; with new pieces held while two waited (session 26) the
// two already asked still arrived and waited too (four pieces, 8 MiB; a kill fetched up to 3).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-wqueue-')
const MiB = 1024 * 1024

type PutCallback = (err: Error | null) => void
interface HeldStore { put: (index: number, buf: Uint8Array, cb: PutCallback) => void }
interface AskedWire { requests: Array<{ length?: number } | null> }
interface StoreTorrent { store: HeldStore | null, wires: AskedWire[], pieces: Array<{ length: number, missing: number } | null | undefined>, on: (event: 'verified', listener: (index: number) => void) => void }

describe('pieces waiting for the disk', () => {
  // 2 MiB pieces: the pipeline, two pieces. 4 MiB pieces: two pieces (8 MiB), so one arrives while
  // the other is written instead of the link idling at each piece's end.
  it.each([[2, 4], [4, 8]])('with %i MiB pieces keep what is asked and what waits for its write within %i MiB, and the download completes once the disk catches up', async (pieceMiB, budgetMiB) => {
    const { origin: o, recipient, members, metainfo: m, data } = await memberOrigin(48 * MiB, pieceMiB * MiB)
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
    // What a crash would lose now: asked of the origin and not yet received, what arrived of
    // pieces not yet whole, and whole pieces not yet written (held here).
    let mostAtRisk = 0
    const asked = (): number => torrent.wires.reduce((sum, w) =>
      sum + w.requests.reduce((s, q) => s + (q?.length ?? 0), 0), 0)
    const arrived = (): number => torrent.pieces.reduce((sum, p) =>
      sum + (p && p.missing > 0 && p.missing < p.length ? p.length - p.missing : 0), 0)
    const sampler = setInterval(() => { mostAtRisk = Math.max(mostAtRisk, asked() + arrived() + held.length * pieceMiB * MiB) }, 1)
    let done = false
    r.on('done', ih => { if (ih === m.infoHash) done = true })
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    try {
      await until(() => held.length >= 2, 20_000, 'two writes to wait')
      await new Promise(resolve => setTimeout(resolve, 1500)) // time to ask for more, if it would
    } finally {
      clearInterval(sampler)
    }
    expect(most).toBe(2) // the pipeline's two pieces arrived and wait; nothing more was asked
    expect(asked()).toBe(0)
    expect(mostAtRisk).toBeLessThanOrEqual(budgetMiB * MiB)
    holding = false
    for (const release of held.splice(0)) release()
    await until(() => done, 30_000, 'the download after the disk caught up')
    expect(readFileSync(targets[0]?.path ?? '').equals(data)).toBe(true)
  }, 60_000)
})
