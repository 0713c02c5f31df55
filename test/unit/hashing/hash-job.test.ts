import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runHashJob, type StreamPlan } from '../../../main/core/hashing/hash-job.js'
import type { JobFile } from '../../../main/core/hashing/hash-protocol.js'

// hash-files.test.ts covers the public API; here a tiny ring (two slots of a few pieces) makes
// every slot be refilled many times while threads race for pieces.
const KiB = 1024
const PIECE = 16 * KiB

let dir: string
let files: JobFile[]
let contents: Buffer[]

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdrop-hash-job-'))
  contents = [randomBytes(700 * KiB + 5), Buffer.alloc(0), randomBytes(333 * KiB), randomBytes(1)]
  files = contents.map((c, i) => {
    const path = join(dir, `f${i}.bin`)
    writeFileSync(path, c)
    return { path, length: c.length }
  })
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function referencePieces (pieceLength: number): Buffer {
  const all = Buffer.concat(contents)
  const out: Buffer[] = []
  for (let o = 0; o < all.length; o += pieceLength) out.push(createHash('sha1').update(all.subarray(o, o + pieceLength)).digest())
  return Buffer.concat(out)
}

describe('runHashJob with a small ring', () => {
  for (const pieceThreads of [0, 1, 2]) {
    it(`refills slots correctly with ${pieceThreads} piece thread(s)`, async () => {
      const plan: StreamPlan = { files, pieceLength: PIECE, chunkLength: 3 * PIECE, slots: 2, pieceThreads }
      const r = await runHashJob([plan])
      if (!r.ok) throw new Error(r.error.message)
      expect(r.value[0]?.pieces?.equals(referencePieces(PIECE))).toBe(true)
      expect(r.value[0]?.fileSha256).toEqual(contents.map(c => createHash('sha256').update(c).digest('hex')))
    })
  }

  it('runs SHA-256-only streams side by side with one slot each', async () => {
    const plans: StreamPlan[] = [files.slice(0, 2), files.slice(2)].map(group => ({ files: group, pieceLength: null, chunkLength: 10 * KiB, slots: 1, pieceThreads: 0 }))
    const r = await runHashJob(plans)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.map(o => o.pieces)).toEqual([null, null])
    expect(r.value.flatMap(o => o.fileSha256)).toEqual(contents.map(c => createHash('sha256').update(c).digest('hex')))
  })
})
