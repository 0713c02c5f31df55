// A torrent and its wires keep the fields they start with for their whole life. V8 gives objects
// built alike one hidden class and compiles hot functions for the classes they saw; a field first
// set mid-transfer (webtorrent and bittorrent-protocol set a dozen lazily, and so did our patches)
// moves the object to a new class, and every optimised function that had seen the old one is
// thrown away and compiled again: in a ten-machine swarm that was about 14 deoptimisations per
// agent and most of the optimising compiler's work (Benchmark, session 22). The patches declare
// those fields in the constructors; this transfer between two member engines checks that no new
// field appears on either side once the torrent is ready and a wire is connected.
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import type { Engine } from '../../../main/core/engine/engine.js'
import { engineFixture, torrentOf } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-shapes-')

interface Watched { on (event: string, listener: (...args: unknown[]) => void): unknown; once (event: string, listener: () => void): unknown }

/** Every own key, strings and symbols, as text. */
const keysOf = (o: object): string[] => Reflect.ownKeys(o).map(k => String(k))

/** Records the keys of the torrent when ready and of each wire when it joins; returns what appeared since. */
function watchShapes (torrent: Watched & object): () => string[] {
  let atReady: string[] | undefined
  const wires = new Map<object, string[]>()
  torrent.once('ready', () => { atReady = keysOf(torrent) })
  torrent.on('wire', (wire: unknown) => { if (typeof wire === 'object' && wire !== null) wires.set(wire, keysOf(wire)) })
  return () => {
    const added: string[] = []
    if (atReady === undefined) return ['(torrent never ready)']
    for (const k of keysOf(torrent)) if (!atReady.includes(k)) added.push(`torrent.${k}`)
    if (wires.size === 0) return ['(no wire)']
    for (const [wire, before] of wires) for (const k of keysOf(wire)) if (!before.includes(k)) added.push(`wire.${k}`)
    return [...new Set(added)]
  }
}

function waitDone (e: Engine, ih: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('download did not finish in time')), ms)
    e.on('done', x => { if (x === ih) { clearTimeout(t); resolve() } })
  })
}

describe('hidden classes of a torrent and its wires', () => {
  it('no field is added to a torrent after it is ready, or to a wire after it joined, on either side of a member transfer', async () => {
    // Small pieces, so both sides go through many picks, batches, HAVEs and verifications.
    const { origin: o, recipient, members, metainfo: m } = await memberOrigin(6 * 1024 * 1024, 64 * 1024)
    const originAdded = watchShapes(torrentOf<Watched & object>(o, m.infoHash))

    const r = await engine({ identity: recipient })
    const started = r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), members })
    if (!started.ok) throw new Error(started.error.message)
    const recipientAdded = watchShapes(torrentOf<Watched & object>(r, m.infoHash))
    const done = waitDone(r, m.infoHash)
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await done
    expect(r.stats(m.infoHash)?.verifiedPieces).toBe(m.pieceCount)

    expect(recipientAdded()).toEqual([])
    expect(originAdded()).toEqual([])
  })
})
