// After a crash, a piece whose write had been issued is kept only if its bytes on disk hash right:
// whole pieces (also across files) pass; a write cut short, a file never created, or a piece index
// out of range does not.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { wholePieces } from '../../../main/core/distributions/written-pieces.js'
import type { FileStoreTarget } from '../../../main/core/engine/file-store.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-written-')); dirs.push(d); return d }
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const PIECE = 16 * 1024

function metaOf (content: Buffer): { name: string, pieceLength: number, pieceCount: number, pieceHashes: Buffer, totalLength: number } {
  const pieceCount = Math.ceil(content.length / PIECE)
  const hashes = []
  for (let i = 0; i < pieceCount; i++) hashes.push(createHash('sha1').update(content.subarray(i * PIECE, (i + 1) * PIECE)).digest())
  return { name: 'f', pieceLength: PIECE, pieceCount, pieceHashes: Buffer.concat(hashes), totalLength: content.length }
}

describe('wholePieces (pieces begun before a crash)', () => {
  it('keeps the pieces written whole and drops one cut short and one never written', async () => {
    const dir = tmp()
    const content = randomBytes(PIECE * 5 + 100)
    const onDisk = Buffer.alloc(content.length) // a presized file: zeros where nothing was written
    content.copy(onDisk, 0, 0, PIECE) // piece 0 whole
    content.copy(onDisk, PIECE * 2, PIECE * 2, PIECE * 2 + PIECE / 2) // piece 2: half its bytes
    content.copy(onDisk, PIECE * 5, PIECE * 5) // the short last piece whole
    const path = join(dir, 'f.part')
    writeFileSync(path, onDisk)
    const targets: FileStoreTarget[] = [{ path, length: content.length, offset: 0 }]
    expect(await wholePieces(metaOf(content), targets, [0, 2, 3, 5, 99, -1])).toEqual([0, 5])
  })

  it('reads a piece across several files, and a missing file fails only the pieces in it', async () => {
    const dir = tmp()
    const content = randomBytes(PIECE * 3)
    const cuts = [0, 5000, PIECE + 7, PIECE * 2 + 1, PIECE * 3]
    const targets: FileStoreTarget[] = []
    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k] as number
      const to = cuts[k + 1] as number
      const path = join(dir, `f${k}`)
      if (k !== 3) writeFileSync(path, content.subarray(from, to)) // the last file was never created
      targets.push({ path, length: to - from, offset: from })
    }
    targets.splice(1, 0, { path: join(dir, 'empty'), length: 0, offset: 5000 }) // an empty file holds no bytes
    expect(await wholePieces(metaOf(content), targets, [0, 1, 2])).toEqual([0, 1])
  })
})
