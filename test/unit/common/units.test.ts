import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatDuration, formatRate, plural } from '../../../common/units.js'

describe('sizes and rates (CLI, renderer, desktop shell and core messages)', () => {
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

describe('counts and waits (CLI, renderer)', () => {
  it('puts thousands separators in counts and plurals', () => {
    expect(formatCount(1600)).toBe('1,600')
    expect(formatCount(20_000)).toBe('20,000')
    expect(formatCount(Number.NaN)).toBe('—')
    expect(plural(1600, 'piece')).toBe('1,600 pieces')
    expect(plural(1, 'machine')).toBe('1 machine')
    expect(plural(0, 'machine')).toBe('0 machines')
  })

  it('writes a wait as m:ss under an hour, hours and minutes past it, days past a day', () => {
    expect(formatDuration(7)).toBe('0:07')
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(3599)).toBe('59:59')
    expect(formatDuration(3600 + 61)).toBe('1 h 1 min')
    expect(formatDuration(6 * 3600 + 18 * 60 + 10)).toBe('6 h 18 min')
    expect(formatDuration(7200)).toBe('2 h')
    // The ETA seen right after an accept: a clock face "378:16:28" reads as nonsense.
    expect(formatDuration(378 * 3600 + 16 * 60 + 28)).toBe('15 d 18 h')
    expect(formatDuration(48 * 3600)).toBe('2 d')
  })

  it('writes an unknown wait as a dash', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(-3)).toBe('—')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
})
