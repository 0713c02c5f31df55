import { describe, expect, it } from 'vitest'
import { deliverWithRetry, FINAL_REPORT_STATES } from '../../../main/core/node/report-delivery.js'

describe('final report delivery', () => {
  it('tries again after a lost report until the sender answers', async () => {
    let tries = 0
    const got = await deliverWithRetry(async () => ++tries >= 3, () => false, [5, 5, 5, 5])
    expect(got).toBe(true)
    expect(tries).toBe(3)
  })

  it('gives up after its last backoff, and at once when the node stops', async () => {
    let tries = 0
    expect(await deliverWithRetry(async () => { tries++; return false }, () => false, [1, 1])).toBe(false)
    expect(tries).toBe(3)
    tries = 0
    expect(await deliverWithRetry(async () => { tries++; return false }, () => true, [1, 1])).toBe(false)
    expect(tries).toBe(1)
  })

  it('covers the states a sender waits for', () => {
    expect([...FINAL_REPORT_STATES].sort()).toEqual(['declined', 'failed', 'verified'])
  })
})
