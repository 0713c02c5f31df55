// After a crash: which of the pieces whose writes were issued but never journaled (piece-journal.ts,
// NAME.begun) are on disk whole. Each is read back and compared with its SHA-1 from the metadata;
// a write cut short by the kill, or never begun by the kernel, fails and is fetched again.
import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import type { FileStoreTarget } from '../engine/file-store.js'
import type { Metainfo } from '../torrent/metainfo.js'

const SHA1_LENGTH = 20

/** The pieces of `candidates` whose bytes in `targets` match their hash; unreadable ones are not. */
export async function wholePieces (m: Pick<Metainfo, 'pieceLength' | 'pieceCount' | 'pieceHashes' | 'totalLength'>, targets: readonly FileStoreTarget[], candidates: readonly number[]): Promise<number[]> {
  const whole: number[] = []
  const handles = new Map<string, Promise<FileHandle | undefined>>()
  const handleOf = (path: string): Promise<FileHandle | undefined> => {
    let h = handles.get(path)
    if (h === undefined) {
      h = open(path, 'r').catch(() => undefined)
      handles.set(path, h)
    }
    return h
  }
  const buf = Buffer.allocUnsafe(m.pieceLength)
  try {
    for (const index of candidates) {
      if (!Number.isInteger(index) || index < 0 || index >= m.pieceCount) continue
      const start = index * m.pieceLength
      const length = Math.min(m.pieceLength, m.totalLength - start)
      if (await readRange(targets, start, buf.subarray(0, length), handleOf)) {
        const expected = m.pieceHashes.subarray(index * SHA1_LENGTH, (index + 1) * SHA1_LENGTH)
        if (createHash('sha1').update(buf.subarray(0, length)).digest().equals(expected)) whole.push(index)
      }
    }
  } finally {
    for (const h of handles.values()) await h.then(f => f?.close()).catch(() => {})
  }
  return whole
}

/** Fills `into` with the bytes at `start` of the concatenated targets; false if any is short or unreadable. */
async function readRange (targets: readonly FileStoreTarget[], start: number, into: Buffer, handleOf: (path: string) => Promise<FileHandle | undefined>): Promise<boolean> {
  const end = start + into.length
  let filled = 0
  for (const t of targets) {
    if (t.length === 0 || t.offset + t.length <= start) continue
    if (t.offset >= end) break
    const from = Math.max(start, t.offset)
    const to = Math.min(end, t.offset + t.length)
    const f = await handleOf(t.path)
    if (f === undefined) return false
    let done = 0
    while (done < to - from) {
      const { bytesRead } = await f.read(into, from - start + done, to - from - done, from - t.offset + done).catch(() => ({ bytesRead: 0 }))
      if (bytesRead === 0) return false
      done += bytesRead
    }
    filled += to - from
  }
  return filled === into.length
}
