import { describe, expect, it } from 'vitest'
import { changedCells } from './diff.js'

describe('changedCells', () => {
  it('returns every cell when there is no previous frame or its size differs', () => {
    expect(Array.from(changedCells(null, new Uint8Array(4)))).toEqual([0, 1, 2, 3])
    expect(Array.from(changedCells(new Uint8Array(3), new Uint8Array(4)))).toEqual([0, 1, 2, 3])
  })

  it('returns only the cells whose value changed, ascending', () => {
    const prev = Uint8Array.from([0, 1, 2, 2, 0])
    const next = Uint8Array.from([0, 2, 2, 0, 1])
    expect(Array.from(changedCells(prev, next))).toEqual([1, 3, 4])
    expect(changedCells(next, next.slice())).toHaveLength(0)
  })

  it('finds exactly the changed cells among 20,000 pieces, quickly', () => {
    const count = 20_000
    const prev = new Uint8Array(count)
    for (let i = 0; i < count; i++) prev[i] = i % 3
    const next = prev.slice()
    const touched = [0, 7, 4_999, 12_345, 19_998, 19_999]
    for (const i of touched) next[i] = 4
    const started = performance.now()
    let changed: Uint32Array = new Uint32Array(0)
    for (let round = 0; round < 50; round++) changed = changedCells(prev, next)
    const perFrame = (performance.now() - started) / 50
    expect(Array.from(changed)).toEqual(touched)
    // A state update every 250 ms leaves plenty of room; a frame is 16 ms.
    expect(perFrame).toBeLessThan(5)
  })
})
