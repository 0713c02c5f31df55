import { describe, expect, it } from 'vitest'
import { FLOOR_BYTES, growingPercent } from '../../../main/core/engine/heap-floor.js'

// The floor under V8's next full collection (heap-floor.ts): the growing factor that puts the next
// limit at FLOOR_BYTES while the heap is small, and V8's own factor once it is not. Its effect on
// a swarm (fewer mark-compacts, less CPU per copy) is a benchmark figure: README, round six.

const MiB = 1024 * 1024

describe('heap floor', () => {
  it('puts the next limit at the floor for a small heap', () => {
    for (const live of [4 * MiB, 10 * MiB, 15 * MiB, 20 * MiB]) {
      const limit = live * (1 + growingPercent(live) / 100)
      expect(Math.abs(limit - FLOOR_BYTES)).toBeLessThan(live / 100 + 1)
    }
    // An agent at rest keeps about 15 MB: V8 would start marking again near 39 MB.
    expect(growingPercent(15 * MiB)).toBe(327)
  })

  it('leaves V8 its own factor once the heap is a third of the floor or more, and for nonsense', () => {
    expect(growingPercent(FLOOR_BYTES / 3)).toBe(0)
    expect(growingPercent(200 * MiB)).toBe(0)
    expect(growingPercent(0)).toBe(0)
    expect(growingPercent(-1)).toBe(0)
    expect(growingPercent(Number.NaN)).toBe(0)
  })
})
