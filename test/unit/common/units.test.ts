import { describe, expect, it } from 'vitest'
import { formatBytes, formatRate } from '../../../common/units.js'

describe('sizes and rates (CLI, desktop shell and core messages)', () => {
  it('writes sizes in decimal units, one decimal below 100 of a unit', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1.0 KB')
    expect(formatBytes(1_234_567)).toBe('1.2 MB')
    expect(formatBytes(96_400_000)).toBe('96.4 MB')
    expect(formatBytes(340_000_000)).toBe('340 MB')
    expect(formatBytes(2_600_000_000)).toBe('2.6 GB')
    expect(formatBytes(5e15)).toBe('5.0 PB')
  })

  it('never shows "1000 KB": rounding carries to the next unit', () => {
    expect(formatBytes(999_700)).toBe('1.0 MB')
    expect(formatBytes(999_999_999)).toBe('1.0 GB')
  })

  it('writes what is not a size as 0 B', () => {
    expect(formatBytes(Number.NaN)).toBe('0 B')
    expect(formatBytes(-5)).toBe('0 B')
  })

  it('writes rates per second', () => {
    expect(formatRate(118_000_000)).toBe('118 MB/s')
    expect(formatRate(96_140_000)).toBe('96.1 MB/s')
  })
})
