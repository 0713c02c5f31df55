import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, formatMultiple, formatPercent, formatRate, plural, sentence, shortHash } from './format.js'

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1 KB')
    expect(formatBytes(2_600_000_000)).toBe('2.6 GB')
    expect(formatBytes(12_345_678)).toBe('12.3 MB')
    expect(formatBytes(118_000_000)).toBe('118 MB')
  })

  it('promotes a value that would round to 1000 of a unit', () => {
    expect(formatBytes(999_960_000)).toBe('1 GB')
  })

  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })
})

describe('formatRate', () => {
  it('is bytes per second in human units', () => {
    expect(formatRate(96_000_000)).toBe('96 MB/s')
    expect(formatRate(0)).toBe('0 B/s')
  })
})

describe('formatDuration', () => {
  it('is m:ss, h:mm:ss past an hour, a dash when unknown', () => {
    expect(formatDuration(7)).toBe('0:07')
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(3600 + 61)).toBe('1:01:01')
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(-3)).toBe('—')
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
    expect(sentence('the connection to the agent was lost')).toBe('The connection to the agent was lost.')
    expect(sentence('Saved?')).toBe('Saved?')
    expect(sentence('downloadsDir must be absolute')).toBe('downloadsDir must be absolute.')
  })
})
