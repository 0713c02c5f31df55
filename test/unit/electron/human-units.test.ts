import { describe, expect, it } from 'vitest'
import { formatBytes, formatRate, shortName } from '../../../main/electron/human-units.js'

describe('human units', () => {
  it('writes sizes in decimal units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(2_600_000_000)).toBe('2.6 GB')
    expect(formatBytes(96_400_000)).toBe('96 MB')
    // Rounding never shows "1000 KB": it carries to the next unit.
    expect(formatBytes(999_700)).toBe('1.0 MB')
    expect(formatBytes(Number.NaN)).toBe('0 B')
  })

  it('writes rates per second', () => {
    expect(formatRate(118_000_000)).toBe('118 MB/s')
  })

  it('shortens long names in the middle and keeps the extension', () => {
    expect(shortName('short.iso')).toBe('short.iso')
    expect(shortName('ubuntu-24.04-server-amd64.iso')).toBe('ubuntu-24.04-server…iso')
    expect([...shortName('a-very-long-folder-name-without-an-extension')]).toHaveLength(24)
  })
})
