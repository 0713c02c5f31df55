import { describe, it, expect } from 'vitest'
import { planChunks } from '../../../main/core/hashing/chunk-plan.js'

describe('planChunks', () => {
  it('covers every byte of every file once, in order, in full chunks but the last', () => {
    const lengths = [0, 7, 3, 0, 12, 1, 0]
    const chunks = [...planChunks(lengths, 5)]
    expect(chunks.map(c => c.length)).toEqual([5, 5, 5, 5, 3])
    expect(chunks.map(c => c.streamOffset)).toEqual([0, 5, 10, 15, 20])
    const covered = lengths.map(() => 0)
    const seen = new Set<number>()
    for (const c of chunks) {
      let at = 0
      for (const s of c.segments) {
        expect(s.bufferOffset).toBe(at)
        expect(s.fileOffset).toBe(covered[s.file])
        covered[s.file] = (covered[s.file] ?? 0) + s.length
        at += s.length
        seen.add(s.file)
      }
      expect(at).toBe(c.length)
    }
    expect(covered).toEqual(lengths)
    expect(seen.size).toBe(lengths.length) // zero-length files get a segment too
  })

  it('plans one empty chunk for files that are all empty, and none for no files', () => {
    expect([...planChunks([0, 0], 4)]).toEqual([{ index: 0, streamOffset: 0, length: 0, segments: [
      { file: 0, fileOffset: 0, length: 0, bufferOffset: 0 },
      { file: 1, fileOffset: 0, length: 0, bufferOffset: 0 }
    ] }])
    expect([...planChunks([], 4)]).toEqual([])
  })
})
