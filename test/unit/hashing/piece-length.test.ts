import { describe, it, expect } from 'vitest'
import { choosePieceLength, MAX_PIECE_LENGTH, MIN_PIECE_LENGTH, PREFERRED_PIECE_LENGTH } from '../../../main/core/hashing/piece-length.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

describe('choosePieceLength', () => {
  it('is a power of two within 64 KiB … 4 MiB for any size', () => {
    for (const size of [0, 1, 100 * KiB, 10 * MiB, 700 * MiB, 4.7e9, 20 * GiB, 1e15, Number.NaN, -5, Infinity]) {
      const length = choosePieceLength(size)
      expect(length).toBeGreaterThanOrEqual(MIN_PIECE_LENGTH)
      expect(length).toBeLessThanOrEqual(MAX_PIECE_LENGTH)
      expect(Math.log2(length) % 1).toBe(0)
    }
    expect(MIN_PIECE_LENGTH).toBe(64 * KiB)
    expect(MAX_PIECE_LENGTH).toBe(4 * MiB)
  })

  it('aims at 1500–3000 pieces where pieces of 512 KiB would be more', () => {
    for (const size of [1 * GiB, 1.6 * GiB, 4.7e9, 8 * GiB]) {
      const pieces = Math.ceil(size / choosePieceLength(size))
      expect(pieces).toBeGreaterThan(1500)
      expect(pieces).toBeLessThanOrEqual(3000)
    }
    expect(choosePieceLength(1 * GiB)).toBe(512 * KiB)
  })

  it('gives a distribution of 32 MiB … 1 GiB pieces of 512 KiB, fewer per byte than 3000 would', () => {
    // 256 MiB to 10 members: 512 KiB pieces cost a recipient 3.3 CPU-s where 128 KiB cost 5.0.
    for (const size of [32 * MiB, 100 * MiB, 256 * MiB, 400e6, 700 * MiB, 1 * GiB]) {
      expect(choosePieceLength(size)).toBe(PREFERRED_PIECE_LENGTH)
    }
    expect(PREFERRED_PIECE_LENGTH).toBe(512 * KiB)
  })

  it('keeps at least 64 pieces in a small distribution, so a swarm can still fan out', () => {
    for (const size of [4 * MiB, 8 * MiB, 16 * MiB, 31 * MiB]) {
      expect(Math.ceil(size / choosePieceLength(size))).toBeGreaterThanOrEqual(64)
    }
    expect(choosePieceLength(8 * MiB)).toBe(128 * KiB)
    expect(choosePieceLength(20 * MiB)).toBe(256 * KiB)
  })

  it('uses the bounds for tiny and huge distributions', () => {
    expect(choosePieceLength(1)).toBe(64 * KiB)
    expect(choosePieceLength(1 * MiB)).toBe(64 * KiB)
    expect(choosePieceLength(20 * GiB)).toBe(4 * MiB)
    expect(choosePieceLength(Number.NaN)).toBe(64 * KiB)
  })
})
