// After a crash: which of the pieces whose writes were issued but never journaled (piece-journal.ts,
// NAME.begun) are on disk whole. Each is read back through a read-only file store (the same reads,
// across files, that serve pieces) and compared with its SHA-1 from the metadata; a write cut short
// by the kill, or never begun by the kernel, fails and is fetched again.
import { createHash } from 'node:crypto'
import { FileStore, type FileStoreTarget } from '../engine/file-store.js'
import { SHA1_LENGTH } from '../hashing/piece-count.js'
import type { Metainfo } from '../torrent/metainfo.js'

/** The pieces of `candidates` whose bytes in `targets` match their hash; unreadable ones are not. */
export async function wholePieces (m: Pick<Metainfo, 'name' | 'pieceLength' | 'pieceCount' | 'pieceHashes' | 'totalLength'>, targets: readonly FileStoreTarget[], candidates: readonly number[]): Promise<number[]> {
  const store = new FileStore(m.pieceLength, { path: '', files: [], length: m.totalLength, name: m.name, fileStore: { targets, readOnly: true } })
  const whole: number[] = []
  try {
    for (const index of candidates) {
      if (!Number.isInteger(index) || index < 0 || index >= m.pieceCount) continue
      const bytes = await new Promise<Uint8Array | undefined>(resolve => store.get(index, (err, buf) => resolve(err ? undefined : buf)))
      const expected = m.pieceHashes.subarray(index * SHA1_LENGTH, (index + 1) * SHA1_LENGTH)
      if (bytes !== undefined && createHash('sha1').update(bytes).digest().equals(expected)) whole.push(index)
    }
  } finally {
    await new Promise<void>(resolve => store.close(() => resolve()))
  }
  return whole
}
