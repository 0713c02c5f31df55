import { describe, expect, it } from 'vitest'
import { formatAgo, formatBytes, formatCount, formatDuration, formatSince, formatMultiple, formatPercent, formatRate, plural, sentence, shortHash, shortenMiddle } from './format.js'

describe('sizes, rates and waits come from common/units.ts', () => {
  it('formats as the command line does (one rounding rule)', () => {
    expect(formatBytes(1000)).toBe('1.0 KB')
    expect(formatBytes(2_600_000_000)).toBe('2.6 GB')
    expect(formatBytes(118_000_000)).toBe('118 MB')
    expect(formatBytes(999_960_000)).toBe('1.0 GB')
    expect(formatRate(96_000_000)).toBe('96.0 MB/s')
    expect(formatDuration(378 * 3600 + 16 * 60 + 28)).toBe('15 d 18 h')
    expect(formatDuration(null)).toBe('—')
  })
})

describe('counts and relative times', () => {
  it('puts thousands separators in counts and plurals', () => {
    expect(formatCount(1600)).toBe('1,600')
    expect(formatCount(20_000)).toBe('20,000')
    expect(plural(1600, 'piece')).toBe('1,600 pieces')
    expect(plural(1, 'machine')).toBe('1 machine')
  })

  it('says how long ago, in seconds, minutes, hours or days', () => {
    const now = Date.parse('2026-11-22T08:00:00.000Z')
    expect(formatAgo('2026-11-22T07:59:58.000Z', now)).toBe('just now')
    expect(formatAgo('2026-11-22T07:59:48.000Z', now)).toBe('12 s ago')
    expect(formatAgo('2026-11-22T07:57:00.000Z', now)).toBe('3 min ago')
    expect(formatAgo('2026-11-22T05:00:00.000Z', now)).toBe('3 h ago')
    expect(formatAgo('2026-11-19T08:00:00.000Z', now)).toBe('3 days ago')
    expect(formatAgo('not a time', now)).toBe('at an unknown time')
  })

  it('gives the time since as a clock', () => {
    const now = Date.parse('2026-11-22T08:00:35.000Z')
    expect(formatSince('2026-11-22T08:00:00.000Z', now)).toBe('0:35')
  })
})

describe('small helpers', () => {
  it('never shows 100% before the end', () => {
    expect(formatPercent(0.72)).toBe('72%')
    expect(formatPercent(0.9999)).toBe('99%')
    expect(formatPercent(1)).toBe('100%')
    expect(formatPercent(0)).toBe('0%')
  })

  it('formats multiples, plurals and short hashes', () => {
    expect(formatMultiple(0.41)).toBe('0.41×')
    expect(formatMultiple(null)).toBe('—')
    expect(plural(1, 'machine')).toBe('1 machine')
    expect(plural(12, 'machine')).toBe('12 machines')
    expect(shortHash('3b1f4a6c9d2e8f7a0b1ce90a')).toBe('3b1f…e90a')
  })

  it('leaves out the middle of a long name, keeping its end, never splitting a character', () => {
    expect(shortenMiddle('ubuntu.iso')).toBe('ubuntu.iso')
    const long = 'capture_' + '0123456789abcdef'.repeat(14) + '_v2.iso'
    const short = shortenMiddle(long)
    expect([...short]).toHaveLength(80)
    expect(short.startsWith('capture_0123')).toBe(true)
    expect(short.endsWith('abcdef_v2.iso')).toBe(true)
    expect(short).toContain('…')
    expect(shortenMiddle('🎞'.repeat(130), 10, 4)).toBe('🎞'.repeat(5) + '…' + '🎞'.repeat(4))
    expect(sentence('the connection to the agent was lost')).toBe('The connection to the agent was lost.')
    expect(sentence('Saved?')).toBe('Saved?')
    expect(sentence('downloadsDir must be absolute')).toBe('downloadsDir must be absolute.')
  })
})
