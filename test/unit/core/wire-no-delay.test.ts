// Every BitTorrent connection has Nagle's algorithm off, dialled or accepted: with it on, a
// request sent while an earlier small message (a HAVE) was unacknowledged waited for the peer's
// delayed ACK, up to 40 ms, and a fast link spent a third of its time waiting for requests
// (session 25, bench/results/2026-12-07T07-1*Z-resume-order-*).
import { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, until } from './engine-fixture.js'

const { tmp, engine, openOrigin } = engineFixture('sd-nodelay-')

interface NoDelayCall { readonly localPort: number | undefined, readonly remotePort: number | undefined, readonly on: boolean }

afterEach(() => { vi.restoreAllMocks() })

describe('BitTorrent connections', () => {
  it('turn Nagle off on the dialling and on the accepting side', async () => {
    const calls: NoDelayCall[] = []
    const real = Socket.prototype.setNoDelay
    vi.spyOn(Socket.prototype, 'setNoDelay').mockImplementation(function (this: Socket, noDelay?: boolean) {
      calls.push({ localPort: this.localPort, remotePort: this.remotePort, on: noDelay !== false })
      return real.call(this, noDelay)
    })
    const { origin, metainfo: m } = await openOrigin(2 * 1024 * 1024, 256 * 1024)
    const recipient = await engine()
    expect(recipient.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'a.bin' }, true) }).ok).toBe(true)
    let done = false
    recipient.on('done', ih => { if (ih === m.infoHash) done = true })
    recipient.connect(m.infoHash, [`127.0.0.1:${origin.port}`])
    await until(() => done, 30_000, 'the download')
    // The recipient dialled the origin's port; the origin accepted on it.
    expect(calls.filter(c => c.on && c.remotePort === origin.port)).not.toEqual([])
    expect(calls.filter(c => c.on && c.localPort === origin.port)).not.toEqual([])
    expect(calls.filter(c => !c.on)).toEqual([])
  })
})
