// Telling a changed source file from an unchanged one by its size and mtime, and saying how.
import { describe, expect, it } from 'vitest'
import { pieceMismatch, stampChange, staleMessage } from '../../../main/core/engine/source-stamp.js'

const expected = { length: 1000, mtimeMs: 1_700_000_000_000.5 }

describe('source stamps', () => {
  it('match when size and mtime are the same (within a millisecond of precision)', () => {
    expect(stampChange(expected, { size: 1000, mtimeMs: 1_700_000_000_000.5 })).toBeUndefined()
    expect(stampChange(expected, { size: 1000, mtimeMs: 1_700_000_000_000 })).toBeUndefined()
  })

  it('say the file is missing', () => {
    expect(stampChange(expected, undefined)).toBe('the file is missing')
  })

  it('say how the size changed', () => {
    expect(stampChange(expected, { size: 1020, mtimeMs: expected.mtimeMs })).toBe('its size went from 1000 to 1020 bytes')
  })

  it('say when it was modified, same size', () => {
    expect(stampChange(expected, { size: 1000, mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5) })).toBe('it was modified at 2026-01-02T03:04:05.000Z')
  })

  it('make a message naming the file, what changed, and what to do', () => {
    expect(staleMessage('ubuntu.iso', pieceMismatch(37))).toBe('ubuntu.iso changed on disk while being sent (piece 37 no longer matches); sending stopped — create a new distribution to send the new version')
  })
})
