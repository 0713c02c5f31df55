// The origin's source guard on real files: a piece read for serving must still hash right, a
// change of size or mtime trips it, it trips once, and a store carrying it serves nothing after.
import { createHash, randomBytes } from 'node:crypto'
import { appendFileSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { SourceGuard, type GuardedFile, type SourceGuardSpec } from '../../../main/core/engine/source-guard.js'

const PIECE = 16_384
const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

function hashes (data: Buffer): Buffer {
  const out: Buffer[] = []
  for (let o = 0; o < data.length; o += PIECE) out.push(createHash('sha1').update(data.subarray(o, o + PIECE)).digest())
  return Buffer.concat(out)
}

/** Two files back to back (a: 1.5 pieces, b: 2 pieces), their guard spec, and what it reported. */
function fixture (): { files: GuardedFile[]; data: Buffer; spec: SourceGuardSpec; reasons: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'sd-guard-'))
  dirs.push(dir)
  const a = randomBytes(PIECE * 1.5)
  const b = randomBytes(PIECE * 2)
  const pa = join(dir, 'a.bin')
  const pb = join(dir, 'b.bin')
  writeFileSync(pa, a)
  writeFileSync(pb, b)
  const files: GuardedFile[] = [
    { path: pa, label: 'set/a.bin', offset: 0, length: a.length, mtimeMs: statSync(pa).mtimeMs },
    { path: pb, label: 'set/b.bin', offset: a.length, length: b.length, mtimeMs: statSync(pb).mtimeMs }
  ]
  const data = Buffer.concat([a, b])
  const reasons: string[] = []
  return { files, data, reasons, spec: { files, pieceLength: PIECE, pieceHashes: hashes(data), onChanged: r => reasons.push(r) } }
}

describe('source guard', () => {
  it('passes pieces whose bytes still hash right', async () => {
    const { data, spec, reasons } = fixture()
    const g = new SourceGuard(spec)
    for (let i = 0; i * PIECE < data.length; i++) expect(await g.verify(i, data.subarray(i * PIECE, (i + 1) * PIECE))).toBeUndefined()
    expect(await g.beforeRead(1)).toBeUndefined()
    expect(reasons).toEqual([])
  })

  it('trips once on a piece that no longer matches, naming every file under it', async () => {
    const { data, spec, reasons } = fixture()
    const g = new SourceGuard(spec)
    const piece1 = Buffer.from(data.subarray(PIECE, 2 * PIECE))
    piece1[100] = (piece1[100] ?? 0) ^ 0xff
    const reason = await g.verify(1, piece1)
    expect(reason).toBe('set/a.bin, set/b.bin changed on disk while being sent (piece 1 no longer matches); sending stopped — create a new distribution to send the new version')
    // Tripped for good: even correct bytes are refused now, and the owner heard it once.
    expect(await g.verify(0, data.subarray(0, PIECE))).toBe(reason)
    expect(reasons).toEqual([reason])
  })

  it('trips when a file under the piece grew, before anything is read', async () => {
    const { files, spec, reasons } = fixture()
    const g = new SourceGuard(spec)
    appendFileSync(files[1]?.path ?? '', 'more')
    expect(await g.beforeRead(0)).toBeUndefined() // piece 0 lies in a.bin only
    expect(await g.beforeRead(3)).toMatch(/^set\/b\.bin changed on disk while being sent \(its size went from 32768 to 32772 bytes\)/)
    expect(reasons).toHaveLength(1)
  })

  it('finds a change by itself on its timer', async () => {
    const { files, spec, reasons } = fixture()
    const g = new SourceGuard(spec, { intervalMs: 50 })
    g.start()
    try {
      rmSync(files[0]?.path ?? '')
      const until = Date.now() + 3_000
      while (reasons.length === 0 && Date.now() < until) await new Promise(r => setTimeout(r, 20))
    } finally {
      g.stop()
    }
    expect(reasons).toEqual(['set/a.bin changed on disk while being sent (the file is missing); sending stopped — create a new distribution to send the new version'])
  })

  it('sweeps a folder of 12,000 files at most 5,000 stats a second (one pass in 2.4 s), however short its interval', async () => {
    const files: GuardedFile[] = Array.from({ length: 12_000 }, (_, i) => ({ path: `/f${i}`, label: `set/f${i}`, offset: i * 10, length: 10, mtimeMs: 1 }))
    let stats = 0
    const g = new SourceGuard({ files, pieceLength: PIECE, pieceHashes: Buffer.alloc(20 * 8), onChanged: () => undefined }, {
      intervalMs: 50,
      stat: async () => { stats++; return await Promise.resolve({ size: 10, mtimeMs: 1 }) }
    })
    g.start()
    try {
      await new Promise(r => setTimeout(r, 3_600))
    } finally {
      g.stop()
    }
    // Every 50 ms, this would have been a pass after a pass (hundreds of thousands of stats).
    expect(stats).toBe(12_000)
  })

  it('makes a guarded store refuse a piece edited in place with its mtime put back', async () => {
    const { files, data, spec, reasons } = fixture()
    const store = new FileStore(PIECE, { path: '', files: [], length: data.length, name: 'x', fileStore: { targets: files, readOnly: true, guard: spec } })
    const get = (i: number, opts?: { offset: number; length: number }): Promise<{ err: Error | null; v?: Uint8Array }> =>
      new Promise(resolve => store.get(i, opts ?? null, (err, v) => resolve({ err, ...(v ? { v } : {}) })))
    try {
      const good = await get(0, { offset: 10, length: 20 })
      expect(good.err).toBeNull()
      expect(Buffer.from(good.v ?? []).equals(data.subarray(10, 30))).toBe(true)
      const a = files[0]
      if (!a) throw new Error('no file')
      const st = statSync(a.path)
      const edited = Buffer.from(data.subarray(0, a.length))
      edited[PIECE + 5] = (edited[PIECE + 5] ?? 0) ^ 1
      writeFileSync(a.path, edited)
      utimesSync(a.path, st.atime, st.mtime)
      const bad = await get(1, { offset: 0, length: 16 })
      expect(bad.v).toBeUndefined()
      expect(bad.err?.message).toMatch(/piece 1 no longer matches/)
      const after = await get(0)
      expect(after.v).toBeUndefined()
      expect(reasons).toHaveLength(1)
    } finally {
      await new Promise(resolve => store.close(resolve))
    }
  })
})
