// Piece buffers: reused once given back, and in shared memory only from `sharedFrom` bytes on
// (the check thread reads those; copying into shared memory is slower, so smaller pieces are not).
import { describe, expect, it } from 'vitest'
import { PieceBuffers } from '../../../main/core/engine/piece-buffers.js'

const MiB = 1024 * 1024

describe('PieceBuffers', () => {
  it('puts pieces of at least sharedFrom bytes in shared memory, and smaller ones in ordinary memory', () => {
    const buffers = new PieceBuffers(MiB)
    expect(buffers.take(128 * 1024).buffer).toBeInstanceOf(ArrayBuffer)
    expect(buffers.take(MiB).buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(buffers.take(2 * MiB).buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(new PieceBuffers().take(4 * MiB).buffer).toBeInstanceOf(ArrayBuffer)
  })

  it('hands a buffer given back out again, and ignores one it never lent', () => {
    const buffers = new PieceBuffers(MiB)
    const a = buffers.take(MiB)
    buffers.release(a)
    expect(buffers.isLent(a)).toBe(false)
    expect(buffers.take(MiB)).toBe(a)
    const stranger = new Uint8Array(MiB)
    buffers.release(stranger)
    expect(buffers.take(MiB)).not.toBe(stranger)
  })
})
