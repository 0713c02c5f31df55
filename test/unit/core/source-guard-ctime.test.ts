// The source guard's cheap check: a piece within one file whose ctime was listed a moment after it
// last changed is shown unchanged by that ctime, taken after the read, instead of by its SHA-1
// (ctime-trust.ts). Whatever moves the ctime puts the file back on hashes, so an edit in place with
// its mtime put back is still refused, and a chmod alone still serves.
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keepsCtime, SETTLED_MS, settledCtime } from '../../../main/core/torrent/ctime-trust.js'
import { scanSource } from '../../../main/core/torrent/source.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { SourceGuard, type GuardedFile, type SourceGuardSpec } from '../../../main/core/engine/source-guard.js'

const PIECE = 16_384
const work = mkdtempSync(join(tmpdir(), 'sd-ctime-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

function hashes (data: Buffer): Buffer {
  const out: Buffer[] = []
  for (let o = 0; o < data.length; o += PIECE) out.push(createHash('sha1').update(data.subarray(o, o + PIECE)).digest())
  return Buffer.concat(out)
}

/** A file of three pieces written more than SETTLED_MS ago, listed now: its guard spec and what it reported. */
async function settledFile (name: string): Promise<{ file: GuardedFile; data: Buffer; spec: SourceGuardSpec; reasons: string[] }> {
  const path = join(work, name)
  const data = randomBytes(PIECE * 3)
  writeFileSync(path, data)
  await sleep(SETTLED_MS + 100)
  const st = statSync(path)
  const ctimeMs = settledCtime(st.ctimeMs, Date.now())
  expect(ctimeMs).toBe(st.ctimeMs)
  const file: GuardedFile = { path, label: name, offset: 0, length: data.length, mtimeMs: st.mtimeMs, ctimeMs }
  const reasons: string[] = []
  return { file, data, reasons, spec: { files: [file], pieceLength: PIECE, pieceHashes: hashes(data), onChanged: r => reasons.push(r) } }
}

function stampOf (path: string): { size: number; mtimeMs: number; ctimeMs: number } {
  const st = statSync(path)
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs }
}

function storeOf (file: GuardedFile, spec: SourceGuardSpec): { store: FileStore; get: (i: number) => Promise<{ err: Error | null; v?: Uint8Array }> } {
  const store = new FileStore(PIECE, { path: '', files: [], length: file.length, name: 'x', fileStore: { targets: [file], readOnly: true, guard: spec } })
  const get = (i: number): Promise<{ err: Error | null; v?: Uint8Array }> =>
    new Promise(resolve => store.get(i, null, (err, v) => resolve({ err, ...(v ? { v } : {}) })))
  return { store, get }
}

/** Every piece of the file comes back from the store as it is on disk. */
async function expectServesAll (get: (i: number) => Promise<{ err: Error | null; v?: Uint8Array }>, data: Buffer): Promise<void> {
  for (let i = 0; i * PIECE < data.length; i++) {
    const r = await get(i)
    expect(r.err).toBeNull()
    expect(Buffer.from(r.v ?? []).equals(data.subarray(i * PIECE, (i + 1) * PIECE))).toBe(true)
  }
}

describe('a listed ctime', () => {
  it('counts only once it is a moment old, and only on local Linux file systems', () => {
    expect(settledCtime(10_000, 10_000 + SETTLED_MS)).toBe(10_000)
    expect(settledCtime(10_000, 10_000 + SETTLED_MS - 1)).toBeUndefined()
    expect(settledCtime(Number.NaN, 10_000)).toBeUndefined()
    expect(keepsCtime(0xEF53, 'linux')).toBe(true)
    expect(keepsCtime(0x6969, 'linux')).toBe(false) // NFS: a client's attributes may lag
    expect(keepsCtime(0x65735546, 'linux')).toBe(false) // FUSE
    expect(keepsCtime(0xEF53, 'darwin')).toBe(false)
  })

  it('is listed for a file at rest, not for one written a moment ago', async () => {
    const old = join(work, 'old.bin')
    writeFileSync(old, 'x')
    await sleep(SETTLED_MS + 100)
    const fresh = join(work, 'fresh.bin')
    writeFileSync(fresh, 'y')
    const a = await scanSource(old)
    const b = await scanSource(fresh)
    if (!a.ok || !b.ok) throw new Error('scan failed')
    expect(a.value.entries[0]?.ctimeMs).toBe(statSync(old).ctimeMs)
    expect(b.value.entries[0]?.ctimeMs).toBeUndefined()
  })
})

describe('the source guard by ctime', () => {
  it('takes a piece read from a file whose ctime has not moved without hashing it', async () => {
    const { file, data, spec, reasons } = await settledFile('a.bin')
    const g = new SourceGuard(spec)
    g.start()
    try {
      expect(await g.ctimeFileOf(1)).toBe(file)
      // The bytes are not looked at: the file's ctime says nothing has touched it since it was listed.
      expect(await g.verify(1, Buffer.alloc(PIECE), undefined, stampOf(file.path))).toBeUndefined()
      expect(g.piecesHashed).toBe(0)
      // Without a stamp taken after the read it hashes, as before.
      expect(await g.verify(0, data.subarray(0, PIECE))).toBeUndefined()
      expect(g.piecesHashed).toBe(1)
      expect(reasons).toEqual([])
    } finally {
      g.stop()
    }
  })

  it('makes a store serve such a piece by the ctime it takes after reading it', async () => {
    const { file, data, spec, reasons } = await settledFile('e.bin')
    // Hashes that match nothing: a piece served anyway was judged by its file's ctime alone.
    const { store, get } = storeOf(file, { ...spec, pieceHashes: Buffer.alloc(spec.pieceHashes.length) })
    try {
      await expectServesAll(get, data)
      expect(reasons).toEqual([])
    } finally {
      await new Promise(resolve => store.close(resolve))
    }
  })

  it('hashes again once the ctime moved, and still serves a file only chmod-ed', async () => {
    const { file, data, spec, reasons } = await settledFile('b.bin')
    const { store, get } = storeOf(file, spec)
    try {
      chmodSync(file.path, 0o600)
      await expectServesAll(get, data)
      expect(reasons).toEqual([])
    } finally {
      await new Promise(resolve => store.close(resolve))
    }
  })

  it('refuses a piece of a file edited in place with its mtime put back', async () => {
    const { file, data, spec, reasons } = await settledFile('c.bin')
    const { store, get } = storeOf(file, spec)
    try {
      expect((await get(0)).err).toBeNull()
      const st = statSync(file.path)
      const edited = Buffer.from(data)
      edited[PIECE + 5] = (edited[PIECE + 5] ?? 0) ^ 1
      writeFileSync(file.path, edited)
      utimesSync(file.path, st.atime, st.mtime)
      const bad = await get(1)
      expect(bad.v).toBeUndefined()
      expect(bad.err?.message).toMatch(/^c\.bin changed on disk while being sent \(piece 1 no longer matches\)/)
      expect(reasons).toHaveLength(1)
    } finally {
      await new Promise(resolve => store.close(resolve))
    }
  })

  it('does not use a ctime listed too soon after the file changed', async () => {
    const { file, spec } = await settledFile('d.bin')
    const g = new SourceGuard({ ...spec, files: [{ ...file, ctimeMs: undefined }] })
    g.start()
    try {
      expect(await g.ctimeFileOf(1)).toBeUndefined()
      expect(await g.verify(1, Buffer.alloc(PIECE), undefined, stampOf(file.path))).toMatch(/piece 1 no longer matches/)
    } finally {
      g.stop()
    }
  })
})

describe('an origin', () => {
  it('keeps each settled file\'s listed ctime with its distribution, across a restart', async () => {
    const { file } = await settledFile('shared.bin')
    const dataDir = join(work, 'data')
    const start = async (): Promise<SwarmNode> => {
      const started = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0 }, anyPortIfTaken: true })
      if (!started.ok) throw new Error(started.error.message)
      return started.value
    }
    let node = await start()
    let infoHash = ''
    try {
      const created = await node.createDistribution(file.path)
      if (!created.ok) throw new Error(created.error.message)
      infoHash = created.value.infoHash
      expect(created.value.sources.map(s => s.ctimeMs)).toEqual([file.ctimeMs])
    } finally {
      await node.stop()
    }
    node = await start()
    try {
      const r = node.registry.get(infoHash)
      expect(r?.role === 'origin' ? r.sources.map(s => s.ctimeMs) : undefined).toEqual([file.ctimeMs])
    } finally {
      await node.stop()
    }
  }, 60_000)
})
