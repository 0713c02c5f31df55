// Two engines on loopback: the origin serves its own files read-only, the recipient writes
// NAME.part, verifies, renames; and a restart with a bitfield fetches nothing it already has.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor, verifyAndPlace } from '../../../main/core/distributions/finish.js'
import { freshBitfield } from '../../../main/core/distributions/fresh-start.js'
import { Engine } from '../../../main/core/engine/engine.js'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { completeRunning, takeWritten } from '../../../main/core/engine/written-digests.js'
import type { Metainfo } from '../../../main/core/torrent/metainfo.js'
import { engineFixture } from './engine-fixture.js'

const { tmp, engine } = engineFixture('sd-engine-')

function waitDone (e: Engine, ih: string, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('download did not finish in time')), ms)
    e.on('done', x => { if (x === ih) { clearTimeout(t); resolve() } })
  })
}

async function origin (path: string): Promise<{ e: Engine; m: Metainfo; sha256: string }> {
  const created = await createDistribution(path, { createdBy: 'test' })
  if (!created.ok) throw new Error(created.error.message)
  const e = await engine()
  const m = created.value.metainfo
  const seeded = e.seed({ metainfo: m, targets: created.value.source.entries.map((s, i) => ({ path: s.absolutePath, length: s.length, offset: m.files[i]?.offset ?? 0 })) })
  expect(seeded.ok).toBe(true)
  return { e, m, sha256: created.value.sha256 }
}

/**
 * The digest taken as `path` was written, as the final check finds it (finish.ts): recorded once
 * the digest thread finished, which may be before or after 'done' reaches the test, else completed
 * reading at most `maxRead` bytes.
 */
async function writtenDigest (path: string, length: number, maxRead: number): Promise<string | undefined> {
  return takeWritten(path, length) ?? await completeRunning(path, length, maxRead)
}

/**
 * Each piece's 'writing' precedes its 'verified' (a crash in between leaves it in the begun list,
 * piece-journal.ts); returns the check to call once the download is done.
 */
function watchWrites (e: Engine, ih: string): () => void {
  const writing = new Set<number>()
  const early: number[] = []
  let verified = 0
  e.on('writing', (x, i) => { if (x === ih) writing.add(i) })
  e.on('verified', (x, i) => { if (x !== ih) return; verified++; if (!writing.has(i)) early.push(i) })
  return () => {
    expect(early).toEqual([])
    expect(verified).toBeGreaterThan(0)
    expect(writing.size).toBe(verified)
  }
}

describe('engine on loopback', () => {
  it('moves a folder (with an empty file) into NAME.part, then verifies and renames it', async () => {
    const src = join(tmp(), 'hls')
    mkdirSync(join(src, 'seg'), { recursive: true })
    const files: Record<string, Buffer> = { 'index.m3u8': randomBytes(300), 'seg/0.ts': randomBytes(200_000), 'seg/1.ts': randomBytes(70_001), 'empty.txt': Buffer.alloc(0) }
    for (const [p, b] of Object.entries(files)) writeFileSync(join(src, p), b)
    const o = await origin(src)
    const dl = tmp()
    const r = await engine()
    const placement = { downloadsDir: dl, finalName: 'hls' }
    expect(r.download({ metainfo: o.m, targets: targetsFor(o.m, placement, true) }).ok).toBe(true)
    const writesChecked = watchWrites(r, o.m.infoHash)
    const done = waitDone(r, o.m.infoHash)
    r.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done
    writesChecked()
    expect(existsSync(join(dl, 'hls.part', 'seg', '0.ts'))).toBe(true)
    const placed = await verifyAndPlace(o.m, placement, o.sha256)
    expect(placed.ok).toBe(true)
    for (const [p, b] of Object.entries(files)) expect(readFileSync(join(dl, 'hls', p)).equals(b)).toBe(true)
    expect(existsSync(join(dl, 'hls.part'))).toBe(false)
  })

  it('refuses to rename when the whole-content SHA-256 is not the announced one', async () => {
    const src = join(tmp(), 'a.bin')
    writeFileSync(src, randomBytes(100_000))
    const o = await origin(src)
    const dl = tmp()
    const r = await engine()
    const placement = { downloadsDir: dl, finalName: 'a.bin' }
    r.download({ metainfo: o.m, targets: targetsFor(o.m, placement, true) })
    const done = waitDone(r, o.m.infoHash)
    r.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done
    const placed = await verifyAndPlace(o.m, placement, 'f'.repeat(64))
    expect(placed.ok).toBe(false)
    expect(existsSync(join(dl, 'a.bin'))).toBe(false)
  })

  it('from one peer, takes a big file in order and its SHA-256 as it is written: the final check reads (almost) nothing', async () => {
    const src = join(tmp(), 'image.iso')
    const data = randomBytes(96 * 1024 * 1024)
    writeFileSync(src, data)
    const o = await origin(src)
    const dl = tmp()
    const r = await engine()
    const placement = { downloadsDir: dl, finalName: 'image.iso' }
    const [part] = targetsFor(o.m, placement, true)
    expect(r.download({ metainfo: o.m, targets: targetsFor(o.m, placement, true) }).ok).toBe(true)
    const writesChecked = watchWrites(r, o.m.infoHash)
    const done = waitDone(r, o.m.infoHash, 60_000)
    r.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done
    writesChecked()
    // With one peer the pieces come front to back (the rarity map's order), so at most the few
    // pieces still being caught up are left to read; in random order nearly the whole file would be.
    const sha256 = await writtenDigest(part?.path ?? '', data.length, 16 * 1024 * 1024)
    expect(sha256).toBe(createHash('sha256').update(data).digest('hex'))
  }, 90_000)

  it('pieces of 1 MiB or more (shared memory): each write settles once the digest thread has it, and nothing is left to read at the end', async () => {
    const src = join(tmp(), 'big.img')
    const data = randomBytes(24 * 1024 * 1024)
    writeFileSync(src, data)
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: 1024 * 1024 })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    const o = await engine()
    expect(o.seed({ metainfo: m, targets: [{ path: src, length: data.length, offset: 0 }] }).ok).toBe(true)
    const dl = tmp()
    const r = await engine()
    const placement = { downloadsDir: dl, finalName: 'big.img' }
    const [part] = targetsFor(m, placement, true)
    expect(r.download({ metainfo: m, targets: targetsFor(m, placement, true) }).ok).toBe(true)
    const done = waitDone(r, m.infoHash, 60_000)
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    // Each piece's write waits for the thread to have hashed it (its buffer is then reused): a
    // write that never settled would leave the download unfinished.
    await done
    // Everything was hashed as it was written: nothing is left to read.
    const sha256 = await writtenDigest(part?.path ?? '', data.length, 0)
    expect(sha256).toBe(createHash('sha256').update(data).digest('hex'))
  }, 90_000)

  it('resumes from a bitfield without fetching those pieces again', async () => {
    const src = join(tmp(), 'big.bin')
    writeFileSync(src, randomBytes(3_000_000))
    const o = await origin(src)
    const dl = tmp()
    const placement = { downloadsDir: dl, finalName: 'big.bin' }
    // First run: download everything, then pretend only the first half was journaled.
    const first = await engine()
    first.download({ metainfo: o.m, targets: targetsFor(o.m, placement, true) })
    const done1 = waitDone(first, o.m.infoHash)
    first.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done1
    await first.remove(o.m.infoHash)
    const half = Math.floor(o.m.pieceCount / 2)
    const bits = new Uint8Array(Math.ceil(o.m.pieceCount / 8))
    for (let i = 0; i < half; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (0x80 >> (i & 7))
    const second = await engine()
    second.download({ metainfo: o.m, targets: targetsFor(o.m, placement, true), bitfield: bits })
    const done2 = waitDone(second, o.m.infoHash)
    second.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done2
    const received = second.stats(o.m.infoHash)?.receivedBytes ?? -1
    const remaining = o.m.totalLength - half * o.m.pieceLength
    expect(received).toBeGreaterThan(0)
    // A duplicate block or two may cross near the end; re-fetching the first half would be 1.5 MB.
    expect(received).toBeLessThanOrEqual(remaining + o.m.pieceLength)
    expect(readFileSync(join(dl, 'big.bin.part')).equals(readFileSync(src))).toBe(true)
  })
})

describe('file store', () => {
  it('never writes to a read-only (origin) file', async () => {
    const dir = tmp()
    const path = join(dir, 'src.bin')
    writeFileSync(path, Buffer.alloc(32_768, 1))
    const store = new FileStore(16_384, { path: dir, files: [], length: 32_768, name: 'x', fileStore: { targets: [{ path, length: 32_768, offset: 0 }], readOnly: true } })
    const err = await new Promise<Error | null>(resolve => store.put(0, Buffer.alloc(16_384, 2), e => resolve(e)))
    expect(err?.message).toMatch(/read-only/)
    expect(readFileSync(path).every(b => b === 1)).toBe(true)
    const got = await new Promise<Uint8Array | undefined>(resolve => store.get(1, { offset: 100, length: 10 }, (_e, v) => resolve(v)))
    expect(Buffer.from(got ?? []).equals(Buffer.alloc(10, 1))).toBe(true)
  })

  it('refuses all I/O when metadata from a peer is refused, and says why', async () => {
    const dir = tmp()
    let why = ''
    const store = new FileStore(16_384, {
      path: dir, files: [], length: 0, name: 'x',
      torrent: { torrentFile: Buffer.from('d4:infod4:name2:..ee') },
      fileStore: {
        targets: () => ({ ok: false, error: { code: 'unsafe-path', message: 'file "../x" is refused' } }),
        readOnly: false,
        onRefused: (m: string) => { why = m }
      }
    })
    const err = await new Promise<Error | null>(resolve => store.put(0, Buffer.alloc(16_384), e => resolve(e)))
    expect(err?.message).toContain('refused')
    expect(why).toContain('refused')
  })

  it('reads and writes pieces that straddle files', async () => {
    const dir = tmp()
    const targets = [{ path: join(dir, 'a'), length: 10_000, offset: 0 }, { path: join(dir, 'b'), length: 0, offset: 10_000 }, { path: join(dir, 'c', 'd'), length: 22_768, offset: 10_000 }]
    const store = new FileStore(16_384, { path: dir, files: [], length: 32_768, name: 'x', fileStore: { targets, readOnly: false } })
    const data = randomBytes(32_768)
    for (const i of [1, 0]) await new Promise<void>((resolve, reject) => store.put(i, data.subarray(i * 16_384, (i + 1) * 16_384), e => e ? reject(e) : resolve()))
    expect(Buffer.concat([readFileSync(join(dir, 'a')), readFileSync(join(dir, 'c', 'd'))]).equals(data)).toBe(true)
    const got = await new Promise<Uint8Array | undefined>(resolve => store.get(0, (_e, v) => resolve(v)))
    expect(Buffer.from(got ?? []).equals(data.subarray(0, 16_384))).toBe(true)
  })
})

describe('a fresh download', () => {
  function waitReady (e: Engine, ih: string, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no start-up check in time')), ms)
      e.on('ready', x => { if (x === ih) { clearTimeout(t); resolve() } })
    })
  }

  it('skips the start-up check when NAME.part does not exist yet (nothing is asked of the disk), and keeps it when it does', async () => {
    const src = join(tmp(), 'image.iso')
    writeFileSync(src, randomBytes(3 * 1024 * 1024))
    const created = await createDistribution(src, { createdBy: 'test' })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    const dl = tmp()
    const placement = { downloadsDir: dl, finalName: 'image.iso' }

    const fresh = await freshBitfield(m, placement)
    expect(fresh).toEqual(new Uint8Array(Math.ceil(m.pieceCount / 8)))
    const r = await engine()
    const ready = waitReady(r, m.infoHash)
    expect(r.download({ metainfo: m, targets: targetsFor(m, placement, true), ...(fresh ? { bitfield: fresh } : {}) }).ok).toBe(true)
    await ready
    // WebTorrent's check reads every piece through the store, which creates the file to read it.
    expect(existsSync(join(dl, 'image.iso.part'))).toBe(false)
    await r.remove(m.infoHash)

    // A NAME.part left by an earlier run (its journal lost) is checked: what is there is kept.
    writeFileSync(join(dl, 'image.iso.part'), readFileSync(src))
    expect(await freshBitfield(m, placement)).toBeUndefined()
    const again = await engine()
    const checked = waitReady(again, m.infoHash)
    expect(again.download({ metainfo: m, targets: targetsFor(m, placement, true) }).ok).toBe(true)
    await checked
    expect(again.stats(m.infoHash)?.verifiedPieces).toBe(m.pieceCount)
  })
})
