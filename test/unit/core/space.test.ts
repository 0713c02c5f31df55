// The arithmetic behind "paused for lack of space, resumes when freed", and its messages.
import { describe, expect, it } from 'vitest'
import { acceptFilesReason, acceptSpaceReason, filesNotStarted, fits, noSpaceReason, shortfall, spaceMargin, spaceNeeded } from '../../../main/core/node/space.js'

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
    const reason = noSpaceReason('/data/downloads', { bytes: 1_500_000_000, files: 0 }, { bytes: 300_000_000, files: 1000 })
    expect(reason).toMatch(/^not enough space in \/data\/downloads: 1\.2 GB more needed/)
    expect(reason).toContain('300 MB free')
    expect(reason).toContain('resumes by itself')
  })

  it('never says "0 B more needed" after a write actually failed', () => {
    expect(noSpaceReason('/d', { bytes: 10, files: 0 }, { bytes: 50 })).toContain('1 B more needed')
  })

  it('says when the file system is out of file entries (inodes), not of bytes', () => {
    expect(noSpaceReason('/dl', { bytes: 1_000_000, files: 141 }, { bytes: 66_900_000, files: 0 }))
      .toBe('no room for more files in /dl: its file system has 0 free file entries (inodes) for 141 files still to create, though 66.9 MB are free; it resumes by itself once files are deleted there')
    // Short of bytes too: the bytes are what to free first.
    expect(noSpaceReason('/dl', { bytes: 100_000_000, files: 141 }, { bytes: 66_900_000, files: 0 })).toMatch(/^not enough space in \/dl: 33\.1 MB more needed/)
    expect(acceptFilesReason('/dl', 203, 59)).toBe('no room in /dl: its file system has 59 free file entries (inodes) left, and this needs 203, one per file and folder')
  })

  it('fits only with bytes and file entries enough, entries uncounted being no limit', () => {
    expect(fits({ bytes: 10, files: 5 }, { bytes: 10, files: 5 })).toBe(true)
    expect(fits({ bytes: 10, files: 4 }, { bytes: 10, files: 5 })).toBe(false)
    expect(fits({ bytes: 9, files: 50 }, { bytes: 10, files: 5 })).toBe(false)
    expect(fits({ bytes: 10 }, { bytes: 10, files: 5000 })).toBe(true)
  })

  it('counts the files with no verified piece, which still need a file entry each', () => {
    // Pieces of 10 bytes; files: [0,15) [15,20) [20,20) empty [20,45)
    const files = [{ offset: 0, length: 15 }, { offset: 15, length: 5 }, { offset: 20, length: 0 }, { offset: 20, length: 25 }]
    expect(filesNotStarted(files, 10, () => false)).toBe(3)
    expect(filesNotStarted(files, 10, i => i === 1)).toBe(1)
    expect(filesNotStarted(files, 10, i => i === 4)).toBe(2)
    expect(filesNotStarted(files, 10, () => true)).toBe(0)
  })

  it('tells, before accepting, what the offer needs and what is free', () => {
    expect(acceptSpaceReason('/dl', 2_000_000_000, 500_000_000)).toBe('not enough space in /dl: 2.0 GB needed, 500 MB free (1.5 GB more needed)')
  })
})
