// A download asks one peer for at most 4 MiB at a time. What is asked and not yet received (in the
// sender's socket, on the wire, in the receiver's queue) is what a crash fetches twice: with 8 MiB
// asked, a SIGKILL halfway through 4 GiB fetched 3.5-5 pieces of 2 MiB twice (session 25).
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const { tmp, engine, memberOrigin } = engineFixture('sd-pipeline-')
const MiB = 1024 * 1024

interface AskedWire {
  readonly requests: ReadonlyArray<{ readonly length: number }>
  request: (...args: unknown[]) => unknown
}
interface WireEvents { on: (event: 'wire', listener: (wire: AskedWire) => void) => void }

describe('the request pipeline', () => {
  it('keeps at most 4 MiB asked of one peer, with a member\'s 1 MiB requests', async () => {
    const { origin: o, recipient, members, metainfo: m } = await memberOrigin(48 * MiB, 2 * MiB)
    const r = await engine({ identity: recipient })
    expect(r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), members }).ok).toBe(true)
    let most = 0
    let largest = 0
    torrentOf<WireEvents>(r, m.infoHash).on('wire', wire => {
      const ask = wire.request
      wire.request = function (this: AskedWire, ...args: unknown[]) {
        const out = ask.apply(this, args)
        const asked = this.requests.reduce((sum, q) => sum + q.length, 0)
        most = Math.max(most, asked)
        largest = Math.max(largest, ...this.requests.map(q => q.length))
        return out
      }
    })
    let done = false
    r.on('done', ih => { if (ih === m.infoHash) done = true })
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => done, 30_000, 'the download')
    expect(largest).toBe(MiB) // the member's size: a piece of 2 MiB is two requests
    expect(most).toBeGreaterThan(MiB) // requests were pipelined
    expect(most).toBeLessThanOrEqual(4 * MiB)
  }, 40_000)
})
