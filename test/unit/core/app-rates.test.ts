// The top bar's download rate is the figure the rows and the rate box show, so they agree: a copy
// that stopped receiving reads 0 in both at once (the engine's 5-second average used to linger).
import { describe, expect, it } from 'vitest'
import { downloadRate, uploadRate } from '../../../main/core/app/app-state.js'
import { originDistribution } from '../../../renderer/src/test/fixtures.js'

describe('the download rate of AppState', () => {
  it('is the sum of this device\'s own rows, and 0 once they stop receiving', () => {
    const d = originDistribution()
    const asRecipient = (state: 'downloading' | 'verified', rate: number) => ({
      ...d,
      infoHash: state === 'downloading' ? 'c'.repeat(40) : 'd'.repeat(40),
      members: d.members.map(m => m.self ? { ...m, origin: false, state, rate } : m)
    })
    expect(downloadRate([asRecipient('downloading', 3_600_000), asRecipient('downloading', 400_000)])).toBe(4_000_000)
    // Verified: the row says 0, so the top bar says 0 too, whatever the engine's average still holds.
    expect(downloadRate([asRecipient('verified', 0)])).toBe(0)
    // Other members' rates are theirs, not this device's.
    expect(downloadRate([d])).toBe(0)
  })

  it('counts the upload of distributions in which someone still receives, and 0 once all have it', () => {
    const d = originDistribution({ uploadRate: 3_400_000 })
    // lab-02 is receiving in the fixture.
    expect(uploadRate([d])).toBe(3_400_000)
    const done = { ...d, members: d.members.map(m => m.state === 'downloading' ? { ...m, state: 'verified' as const, verified: true, rate: 0 } : m) }
    expect(uploadRate([done])).toBe(0)
  })
})
