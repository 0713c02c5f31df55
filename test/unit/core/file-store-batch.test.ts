import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DiskThread, diskThread } from '../../../main/core/engine/disk-thread.js'
import { FileStore, type FileStoreTarget } from '../../../main/core/engine/file-store.js'
import { SourceGuard } from '../../../main/core/engine/source-guard.js'

// Pieces across many small files go to the disk thread in one batch (see disk-thread.ts).

const dirs: string[] = []
function tmp (): string {
  const d = mkdtempSync(join(tmpdir(), 'sd-batch-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

function put (store: FileStore, index: number, buf: Uint8Array): Promise<Error | null> {
  return new Promise(resolve => store.put(index, buf, e => resolve(e)))
}
function get (store: FileStore, index: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => store.get(index, (e, v) => e || !v ? reject(e ?? new Error('none')) : resolve(v)))
}
function descriptorsUnder (dir: string): string[] {
  const links = readdirSync('/proc/self/fd').map(fd => { try { return readlinkSync(`/proc/self/fd/${fd}`) } catch { return '' } })
  return links.filter(l => l.startsWith(dir))
}

/** Files of the given lengths under dir, in sub-folders, laid end to end. */
function layout (dir: string, lengths: readonly number[]): FileStoreTarget[] {
  let offset = 0
  return lengths.map((length, i) => {
    const t = { path: join(dir, `d${i % 3}`, `f${i}`), length, offset }
    offset += length
    return t
  })
}

describe('file store, pieces across many files', () => {
  it('answers a fresh download\'s reads of files it has not written "missing" without the disk thread, and reads what it wrote', async () => {
    const dir = tmp()
    const targets = layout(join(dir, 'segments.part'), Array.from({ length: 40 }, () => 8192))
    const total = 40 * 8192
    const pieceLength = 32_768
    const data = randomBytes(total)
    const store = new FileStore(pieceLength, { path: dir, files: [], length: total, name: 'x', fileStore: { targets, readOnly: false } })
    const reads = vi.spyOn(DiskThread.prototype, 'read')
    try {
      const pieces = total / pieceLength
      for (let i = 0; i < pieces; i++) await expect(get(store, i)).rejects.toMatchObject({ code: 'ENOENT' })
      expect(reads).not.toHaveBeenCalled()
      expect(await put(store, 2, data.subarray(2 * pieceLength, 3 * pieceLength))).toBeNull()
      expect(Buffer.from(await get(store, 2)).equals(data.subarray(2 * pieceLength, 3 * pieceLength))).toBe(true)
      expect(reads).toHaveBeenCalledTimes(1)
      await expect(get(store, 3)).rejects.toMatchObject({ code: 'ENOENT' })
      expect(reads).toHaveBeenCalledTimes(1)
    } finally {
      reads.mockRestore()
      store.close()
    }
  })

  it('writes every byte where it belongs, in any piece order, and reads it back', async () => {
    const dir = tmp()
    // Small files, a zero-length one, one spanning several pieces, odd sizes at piece edges.
    const lengths = [...Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % 9000)), 0, 70_000, ...Array.from({ length: 50 }, () => 4096)]
    const targets = layout(dir, lengths)
    const total = lengths.reduce((a, b) => a + b, 0)
    const pieceLength = 32_768
    const data = randomBytes(total)
    const store = new FileStore(pieceLength, { path: dir, files: [], length: total, name: 'x', fileStore: { targets, readOnly: false } })
    const pieces = Math.ceil(total / pieceLength)
    const order = Array.from({ length: pieces }, (_, i) => i).sort(() => Math.random() - 0.5)
    const results = await Promise.all(order.map(i => put(store, i, data.subarray(i * pieceLength, Math.min(total, (i + 1) * pieceLength)))))
    expect(results.every(r => r === null)).toBe(true)
    for (const t of targets) {
      if (t.length === 0) continue
      expect(readFileSync(t.path).equals(data.subarray(t.offset, t.offset + t.length)), t.path).toBe(true)
    }
    for (const i of [0, 1, pieces - 1]) {
      expect(Buffer.from(await get(store, i)).equals(data.subarray(i * pieceLength, Math.min(total, (i + 1) * pieceLength)))).toBe(true)
    }
    store.close()
    // No descriptor of the files is kept (the batches close theirs; close() closes the async path's).
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(descriptorsUnder(dir)).toEqual([])
  })

  it('does not change the caller\'s buffer, which may be reused at once', async () => {
    const dir = tmp()
    const targets = layout(dir, [1000, 1000, 1000, 1000])
    const store = new FileStore(4000, { path: dir, files: [], length: 4000, name: 'x', fileStore: { targets, readOnly: false } })
    const data = randomBytes(4000)
    const keep = Buffer.from(data)
    const written = put(store, 0, data)
    data.fill(0) // the bytes were taken when put() was called
    expect(await written).toBe(null)
    expect(Buffer.concat(targets.map(t => readFileSync(t.path))).equals(keep)).toBe(true)
    store.close()
  })

  it('grows a file longer than a piece to its length at its first batch (sparse), never shrinks it', async () => {
    const dir = tmp()
    const targets = layout(dir, [1000, 50_000])
    const store = new FileStore(16_384, { path: dir, files: [], length: 51_000, name: 'x', fileStore: { targets, readOnly: false } })
    expect(await put(store, 0, randomBytes(16_384))).toBe(null)
    expect(statSync(targets[1]!.path).size).toBe(50_000)
    store.close()
  })

  it('surfaces a full disk (ENOSPC) to the caller and to onIoError', async () => {
    const dir = tmp()
    const targets: FileStoreTarget[] = [{ path: join(dir, 'a'), length: 100, offset: 0 }, { path: '/dev/full', length: 100, offset: 100 }]
    const seen: string[] = []
    const store = new FileStore(200, { path: dir, files: [], length: 200, name: 'x', fileStore: { targets, readOnly: false, onIoError: (e: NodeJS.ErrnoException, op: string) => seen.push(`${op} ${e.code ?? ''}`) } })
    const err = await put(store, 0, randomBytes(200)) as NodeJS.ErrnoException | null
    expect(err?.code).toBe('ENOSPC')
    expect(seen).toEqual(['write ENOSPC'])
    store.close()
  })

  it('refuses to write a read-only store, and reads a missing file as ENOENT without calling it an I/O error', async () => {
    const dir = tmp()
    const targets = layout(dir, [100, 100, 100])
    const seen: string[] = []
    const store = new FileStore(300, { path: dir, files: [], length: 300, name: 'x', fileStore: { targets, readOnly: true, onIoError: (e: NodeJS.ErrnoException, op: string) => seen.push(`${op} ${e.code ?? ''}`) } })
    expect((await put(store, 0, randomBytes(300)))?.message).toContain('read-only')
    const err = await get(store, 0).then(() => null, (e: NodeJS.ErrnoException) => e)
    expect(err?.code).toBe('ENOENT')
    expect(seen).toEqual([])
    store.close()
  })
})

describe('source guard, batched stats', () => {
  it('stats many files in one batch on the disk thread, null for a missing one', async () => {
    const dir = tmp()
    const paths = Array.from({ length: 50 }, (_, i) => join(dir, `f${i}`))
    for (const [i, p] of paths.entries()) writeFileSync(p, Buffer.alloc(i))
    const stamps = await diskThread().stat([...paths, join(dir, 'missing')])
    expect(stamps.map(s => s?.size ?? -1)).toEqual([...paths.map((_, i) => i), -1])
    expect(stamps[3]?.mtimeMs).toBe(statSync(paths[3]!).mtimeMs)
  })

  it('notices, in its periodic sweep of real files, one of many files modified', async () => {
    const dir = tmp()
    const files = Array.from({ length: 3000 }, (_, i) => ({ path: join(dir, `f${i}`), label: `f${i}`, offset: i * 10, length: 10, mtimeMs: 0 }))
    for (const f of files) writeFileSync(f.path, Buffer.alloc(10))
    const guarded = files.map(f => ({ ...f, mtimeMs: statSync(f.path).mtimeMs }))
    let reason = ''
    const guard = new SourceGuard({ files: guarded, pieceLength: 1000, pieceHashes: new Uint8Array(20 * 30), onChanged: r => { reason = r } }, { intervalMs: 50 })
    guard.start()
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(reason).toBe('')
    utimesSync(files[2500]!.path, new Date(), new Date(Date.now() + 60_000))
    const deadline = Date.now() + 5_000
    while (reason === '' && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    guard.stop()
    expect(reason).toContain('f2500')
  })
})

describe('guarded reads across many files', () => {
  it('serves a piece whose bytes hash right, and refuses one edited in place with its mtime put back', async () => {
    const dir = tmp()
    const targets = layout(dir, Array.from({ length: 40 }, () => 1000))
    const data = randomBytes(40_000)
    for (const t of targets) { mkdirSync(dirname(t.path), { recursive: true }); writeFileSync(t.path, data.subarray(t.offset, t.offset + t.length)) }
    const pieceLength = 20_000
    const pieceHashes = Buffer.concat([0, 1].map(i => createHash('sha1').update(data.subarray(i * pieceLength, (i + 1) * pieceLength)).digest()))
    const files = targets.map(t => ({ ...t, label: t.path, mtimeMs: statSync(t.path).mtimeMs }))
    let changed = ''
    const store = new FileStore(pieceLength, { path: dir, files: [], length: 40_000, name: 'x', fileStore: { targets, readOnly: true, guard: { files, pieceLength, pieceHashes, onChanged: (r: string) => { changed = r } } } })
    expect(Buffer.from(await get(store, 0)).equals(data.subarray(0, pieceLength))).toBe(true)
    const victim = targets[30]!
    const st = statSync(victim.path)
    writeFileSync(victim.path, randomBytes(1000))
    utimesSync(victim.path, st.atime, st.mtime)
    const err = await get(store, 1).then(() => null, (e: NodeJS.ErrnoException) => e)
    expect(err?.code).toBe('source-changed')
    expect(changed).not.toBe('')
    store.close()
  })
})

describe('guarded reads of one big file', () => {
  /** One file of `pieces` pieces, guarded as an origin's source is. */
  function guardedFile (pieceLength: number, pieces: number): { store: FileStore, data: Buffer, path: string, changed: () => string } {
    const dir = tmp()
    const data = randomBytes(pieces * pieceLength)
    const path = join(dir, 'image.iso')
    writeFileSync(path, data)
    const targets = [{ path, length: data.length, offset: 0 }]
    const pieceHashes = Buffer.concat(Array.from({ length: pieces }, (_, i) => createHash('sha1').update(data.subarray(i * pieceLength, (i + 1) * pieceLength)).digest()))
    const files = [{ path, length: data.length, offset: 0, label: 'image.iso', mtimeMs: statSync(path).mtimeMs }]
    let changed = ''
    const store = new FileStore(pieceLength, { path: dir, files: [], length: data.length, name: 'x', fileStore: { targets, readOnly: true, guard: { files, pieceLength, pieceHashes, onChanged: (r: string) => { changed = r } } } })
    return { store, data, path, changed: () => changed }
  }

  it('reads a piece of 1 MiB or more on the disk thread, which takes its SHA-1 there, and still refuses one edited in place', async () => {
    const pieceLength = 1024 * 1024
    const { store, data, path, changed } = guardedFile(pieceLength, 3)
    const reads = vi.spyOn(DiskThread.prototype, 'read')
    try {
      expect(Buffer.from(await get(store, 0)).equals(data.subarray(0, pieceLength))).toBe(true)
      expect(reads).toHaveBeenCalledTimes(1)
      expect(reads.mock.calls[0]?.[3]).toBe(true) // with its SHA-1
      const st = statSync(path)
      const fd = openSync(path, 'r+')
      writeSync(fd, randomBytes(100), 0, 100, 2 * pieceLength + 5)
      closeSync(fd)
      utimesSync(path, st.atime, st.mtime)
      const err = await get(store, 2).then(() => null, (e: NodeJS.ErrnoException) => e)
      expect(err?.code).toBe('source-changed')
      expect(changed()).toContain('image.iso')
    } finally {
      reads.mockRestore()
      store.close()
    }
  })

  it('hashes a smaller piece where it was read, without the disk thread', async () => {
    const pieceLength = 256 * 1024
    const { store, data } = guardedFile(pieceLength, 2)
    const reads = vi.spyOn(DiskThread.prototype, 'read')
    try {
      expect(Buffer.from(await get(store, 1)).equals(data.subarray(pieceLength))).toBe(true)
      expect(reads).not.toHaveBeenCalled()
    } finally {
      reads.mockRestore()
      store.close()
    }
  })
})

describe('the disk thread\'s buffers', () => {
  function segmentsOf (targets: readonly FileStoreTarget[]): Array<{ path: string, fileOffset: number, bufOffset: number, length: number, presizeTo: number }> {
    return targets.map(t => ({ path: t.path, fileOffset: 0, bufOffset: t.offset, length: t.length, presizeTo: 0 }))
  }
  function write (disk: DiskThread, targets: readonly FileStoreTarget[], data: Uint8Array): Promise<Error | null> {
    return new Promise(resolve => disk.write(segmentsOf(targets), data, e => resolve(e)))
  }
  function read (disk: DiskThread, targets: readonly FileStoreTarget[], length: number, into?: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => disk.read(segmentsOf(targets), length, (e, d) => e || !d ? reject(e ?? new Error('none')) : resolve(d), false, into))
  }

  it('reuses a write\'s buffer for the next write, and every write still lands its own bytes', async () => {
    const dir = tmp()
    const targets = layout(dir, Array.from({ length: 8 }, () => 4096))
    for (const t of targets) mkdirSync(dirname(t.path), { recursive: true })
    const disk = new DiskThread()
    expect(disk.spareBuffers).toBe(0)
    const first = randomBytes(8 * 4096)
    const writing = write(disk, targets, first)
    first.fill(0) // the caller may reuse its buffer at once: the thread writes a copy
    expect(await writing).toBeNull()
    expect(disk.spareBuffers).toBe(1)
    for (let round = 0; round < 5; round++) {
      const data = randomBytes(8 * 4096)
      const w = write(disk, targets, data)
      expect(disk.spareBuffers).toBe(0) // taken for this write, not a fresh one
      expect(await w).toBeNull()
      expect(disk.spareBuffers).toBe(1)
      for (const t of targets) expect(readFileSync(t.path).equals(data.subarray(t.offset, t.offset + t.length))).toBe(true)
    }
  })

  it('reads into the buffer it is lent, which comes back as the result; a buffer of another length is left alone', async () => {
    const dir = tmp()
    const targets = layout(dir, Array.from({ length: 6 }, () => 1000))
    const data = randomBytes(6000)
    for (const t of targets) { mkdirSync(dirname(t.path), { recursive: true }); writeFileSync(t.path, data.subarray(t.offset, t.offset + t.length)) }
    const disk = new DiskThread()
    const into = Buffer.allocUnsafeSlow(6000)
    const memory = into.buffer
    const got = await read(disk, targets, 6000, into)
    expect(got.equals(data)).toBe(true)
    expect(into.byteLength).toBe(0) // its memory went to the thread
    expect(memory.byteLength).toBe(0)
    const other = Buffer.alloc(5000, 7)
    const again = await read(disk, targets, 6000, other)
    expect(again.equals(data)).toBe(true)
    expect(other.byteLength).toBe(5000)
    expect(other.every(b => b === 7)).toBe(true)
  })
})
