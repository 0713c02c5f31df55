// A rate limit set while a transfer runs applies to the connections already open. Connections
// move bytes without the throttle streams while no limit is set (webtorrent's patched peer.js,
// leanPipes); from the first chunk after a limit is set they go through the throttle.
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { Engine } from '../../../main/core/engine/engine.js'
import { engineFixture, until } from './engine-fixture.js'

const MiB = 1024 * 1024
const { tmp, engine, openOrigin } = engineFixture('sd-live-limit-')
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function setUp (): Promise<{ origin: Engine, r: Engine, ih: string, total: number }> {
  const { origin, metainfo: m } = await openOrigin(160 * MiB, MiB)
  const r = await engine()
  expect(r.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'live.bin' }, true) }).ok).toBe(true)
  r.connect(m.infoHash, [`127.0.0.1:${origin.port}`])
  const end = Date.now() + 20_000
  while ((r.stats(m.infoHash)?.receivedBytes ?? 0) < 2 * MiB) {
    if (Date.now() > end) throw new Error('the transfer did not start')
    await sleep(10)
  }
  return { origin, r, ih: m.infoHash, total: m.totalLength }
}

/** Bytes received over `ms`, measured after a second's settling. */
async function rateAfterSettling (r: Engine, ih: string, ms: number): Promise<number> {
  await sleep(1_000)
  const a = r.stats(ih)?.receivedBytes ?? 0
  await sleep(ms)
  const b = r.stats(ih)?.receivedBytes ?? 0
  return (b - a) / (ms / 1000)
}

describe('rate limits set during a transfer', () => {
  it('a download limit slows the connection that is already open', async () => {
    const { r, ih, total } = await setUp()
    r.setLimits(undefined, 2 * MiB)
    const rate = await rateAfterSettling(r, ih, 3_000)
    expect(rate).toBeGreaterThan(0.5 * MiB)
    expect(rate).toBeLessThan(3 * MiB)
    const verified = r.stats(ih)?.verifiedBytes ?? total
    expect(verified).toBeLessThan(total)
    // Bytes received are not pieces: the pieces must go on being verified too. (A piece message
    // cut by the switch to the throttle once left the parser waiting on a length read out of
    // block data: bytes still came in, and nothing was verified after them.)
    await until(() => (r.stats(ih)?.verifiedBytes ?? 0) >= verified + 4 * MiB, 10_000, 'pieces verified under the limit')
  }, 60_000)

  it('an upload limit slows the connection that is already open', async () => {
    const { origin, r, ih, total } = await setUp()
    origin.setLimits(2 * MiB, undefined)
    const rate = await rateAfterSettling(r, ih, 3_000)
    expect(rate).toBeGreaterThan(0.5 * MiB)
    expect(rate).toBeLessThan(3 * MiB)
    expect(r.stats(ih)?.verifiedBytes ?? total).toBeLessThan(total)
  }, 60_000)
})
