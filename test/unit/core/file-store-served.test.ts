// A download's store serves the pieces it has to other peers from a few buffers it reuses
// (served-pieces.ts), as an origin's store does: WebTorrent's own cache read every piece into fresh
// memory, which this VM charges for page by page. A piece written again (fetched anew after a
// failed check) is never served from what was read of it before.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DiskThread } from '../../../main/core/engine/disk-thread.js'
import { FileStore, type FileStoreTarget } from '../../../main/core/engine/file-store.js'
import type { LentBlock } from '../../../main/core/engine/served-pieces.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
function tmp (): string {
  const d = mkdtempSync(join(tmpdir(), 'sd-served-'))
  dirs.push(d)
  return d
}

function put (store: FileStore, index: number, buf: Uint8Array): Promise<Error | null> {
  return new Promise(resolve => store.put(index, buf, e => resolve(e)))
}
function get (store: FileStore, index: number, offset: number, length: number): Promise<LentBlock> {
  return new Promise((resolve, reject) => store.get(index, { offset, length }, (e, v) => e || !v ? reject(e ?? new Error('none')) : resolve(v as LentBlock)))
}

const PIECE = 64 * 1024

function layouts (dir: string): Record<string, FileStoreTarget[]> {
  const lengths = Array.from({ length: 64 }, () => 16 * 1024) // 16 pieces of 4 files each: disk-thread batches
  let offset = 0
  return {
    'one file': [{ path: join(dir, 'one.bin'), length: 16 * PIECE, offset: 0 }],
    'many files': lengths.map((length, i) => { const t = { path: join(dir, 'many', `f${i}`), length, offset }; offset += length; return t })
  }
}

describe('a download\'s store serving its pieces', () => {
  for (const kind of ['one file', 'many files']) {
    it(`serves blocks from a few reused buffers (${kind})`, async () => {
      const dir = tmp()
      const targets = layouts(dir)[kind] ?? []
      const data = randomBytes(16 * PIECE)
      const store = new FileStore(PIECE, { path: dir, files: [], length: data.length, name: 'x', fileStore: { targets, readOnly: false } })
      for (let i = 0; i < 16; i++) expect(await put(store, i, data.subarray(i * PIECE, (i + 1) * PIECE))).toBeNull()
      const memory = new Set<ArrayBufferLike>()
      const lent: number[] = [] // the length of the buffer each batch read was lent, when it was asked
      const read = DiskThread.prototype.read
      const reads = vi.spyOn(DiskThread.prototype, 'read').mockImplementation(function (this: DiskThread, ...args: Parameters<DiskThread['read']>) {
        lent.push(args[4]?.byteLength ?? -1)
        read.apply(this, args)
      })
      try {
        for (let round = 0; round < 6; round++) {
          for (let i = 0; i < 16; i++) {
            const block = await get(store, i, 16 * 1024, 16 * 1024)
            expect(Buffer.from(block).equals(data.subarray(i * PIECE + 16 * 1024, i * PIECE + 32 * 1024))).toBe(true)
            memory.add(block.buffer)
            block.release?.()
          }
        }
        if (kind === 'one file') {
          // 96 reads of pieces that do not all fit the cache, in a handful of buffers.
          expect(memory.size).toBeLessThanOrEqual(17)
        } else {
          // A batch's memory goes to the disk thread and comes back as a new ArrayBuffer object, so
          // it is the buffers the reads were lent that tell: every read had one, a whole piece long.
          expect(lent.length).toBeGreaterThanOrEqual(16)
          expect(lent.every(n => n === PIECE)).toBe(true)
        }
      } finally {
        reads.mockRestore()
      }
      store.close()
    })
  }

  it('never serves what it read of a piece before that piece was written again', async () => {
    const dir = tmp()
    const targets = layouts(dir)['many files'] ?? []
    const first = randomBytes(16 * PIECE)
    const store = new FileStore(PIECE, { path: dir, files: [], length: first.length, name: 'x', fileStore: { targets, readOnly: false } })
    for (let i = 0; i < 16; i++) expect(await put(store, i, first.subarray(i * PIECE, (i + 1) * PIECE))).toBeNull()
    const before = await get(store, 3, 0, PIECE)
    expect(Buffer.from(before).equals(first.subarray(3 * PIECE, 4 * PIECE))).toBe(true)
    before.release?.()
    const again = randomBytes(PIECE)
    expect(await put(store, 3, again)).toBeNull()
    const after = await get(store, 3, 0, PIECE)
    expect(Buffer.from(after).equals(again)).toBe(true)
    after.release?.()
    store.close()
  })
})
