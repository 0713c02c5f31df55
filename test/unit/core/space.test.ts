// The arithmetic behind "paused for lack of space, resumes when freed", and its messages.
import { describe, expect, it } from 'vitest'
import { acceptSpaceReason, noSpaceReason, shortfall, spaceMargin, spaceNeeded } from '../../../main/core/node/space.js'

const MiB = 1024 * 1024

describe('space needed by a download', () => {
  it('is what is still missing plus a margin of one piece, at least 1 MiB', () => {
    expect(spaceMargin(256 * 1024)).toBe(MiB)
    expect(spaceMargin(4 * MiB)).toBe(4 * MiB)
    expect(spaceNeeded(100 * MiB, 40 * MiB, 4 * MiB)).toBe(64 * MiB)
    expect(spaceNeeded(100 * MiB, 0, 256 * 1024)).toBe(101 * MiB)
  })

  it('is nothing once every piece is verified (verified pieces already have their room)', () => {
    expect(spaceNeeded(100 * MiB, 100 * MiB, 4 * MiB)).toBe(0)
    expect(spaceNeeded(100 * MiB, 120 * MiB, 4 * MiB)).toBe(0)
  })

  it('falls short by what must be freed, never less than zero', () => {
    expect(shortfall(64 * MiB, 10 * MiB)).toBe(54 * MiB)
    expect(shortfall(64 * MiB, 80 * MiB)).toBe(0)
    expect(shortfall(64 * MiB, -5)).toBe(64 * MiB)
  })
})

describe('what a person reads', () => {
  it('names the folder and how much more is needed', () => {
    const reason = noSpaceReason('/data/downloads', 1_500_000_000, 300_000_000)
    expect(reason).toMatch(/^not enough space in \/data\/downloads: 1\.2 GB more needed/)
    expect(reason).toContain('300 MB free')
    expect(reason).toContain('resumes by itself')
  })

  it('never says "0 B more needed" after a write actually failed', () => {
    expect(noSpaceReason('/d', 10, 50)).toContain('1 B more needed')
  })

  it('tells, before accepting, what the offer needs and what is free', () => {
    expect(acceptSpaceReason('/dl', 2_000_000_000, 500_000_000)).toBe('not enough space in /dl: 2.0 GB needed, 500 MB free (1.5 GB more needed)')
  })
})
