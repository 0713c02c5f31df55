// Watched folders, the parts that decide what goes out and when: settle detection on a real folder
// with real timers, batch bounds and order, and the progress that survives a restart.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dueNow, nextBatch } from '../../../main/core/channels/batch.js'
import { ChannelStore, newChannelId, type ChannelConfig } from '../../../main/core/channels/channel-store.js'
import { scanFolder } from '../../../main/core/channels/folder-scan.js'
import { SettleTracker } from '../../../main/core/channels/settle.js'

let dir = ''
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-channels-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

const sleep = async (ms: number): Promise<void> => await new Promise(resolve => setTimeout(resolve, ms))

async function observe (t: SettleTracker, root: string): Promise<void> {
  const scanned = await scanFolder(root, 'watched')
  if (!scanned.ok) throw new Error(scanned.error.message)
  t.observe(scanned.value, Date.now())
}

describe('settle detection on a real folder', () => {
  it('a file is ready only once its size and mtime held still for the settle time', async () => {
    const settleMs = 400
    const t = new SettleTracker()
    const f = join(dir, 'seg-001.ts')
    writeFileSync(f, 'a'.repeat(1000))
    await observe(t, dir)
    expect(t.settled(Date.now(), settleMs)).toEqual([])
    expect(t.settling(Date.now(), settleMs)).toBe(1)
    // Still being written: every append starts the wait again.
    for (let i = 0; i < 3; i++) {
      await sleep(200)
      appendFileSync(f, 'b'.repeat(500))
      await observe(t, dir)
      expect(t.settled(Date.now(), settleMs)).toEqual([])
    }
    await sleep(250)
    await observe(t, dir)
    expect(t.settled(Date.now(), settleMs)).toEqual([])
    await sleep(250)
    await observe(t, dir)
    const ready = t.settled(Date.now(), settleMs)
    expect(ready.map(r => [r.path, r.size])).toEqual([['seg-001.ts', 2500]])
    expect(t.settling(Date.now(), settleMs)).toBe(0)
  })

  it('a file first seen as it was written gets its ctime once it is a moment old, to guard it by when sent', async () => {
    const t = new SettleTracker()
    const f = join(dir, 'seg-002.ts')
    writeFileSync(f, 'a'.repeat(1000))
    await observe(t, dir)
    const first = t.get('seg-002.ts')
    expect(first?.ctimeMs).toBeUndefined()
    await sleep(1_100)
    await observe(t, dir)
    const later = t.get('seg-002.ts')
    // The same version (same round, still settling from the first sighting), now with its ctime.
    expect(later?.ctimeMs).toBe(statSync(f).ctimeMs)
    expect([later?.round, later?.stableSince]).toEqual([first?.round, first?.stableSince])
  })

  it('a changed mtime at the same size counts as a change; a removed file is forgotten', async () => {
    const t = new SettleTracker()
    const f = join(dir, 'a.bin')
    writeFileSync(f, 'x'.repeat(10))
    await observe(t, dir)
    await sleep(150)
    await observe(t, dir)
    expect(t.settled(Date.now(), 100).length).toBe(1)
    const later = new Date(statSync(f).mtimeMs + 5_000)
    utimesSync(f, later, later)
    await observe(t, dir)
    expect(t.settled(Date.now(), 100).length).toBe(0)
    rmSync(f)
    await observe(t, dir)
    expect(t.all()).toEqual([])
  })

  it('keeps the order files appeared in, across scans, and leaves out links, empty files and subfolder order noise', async () => {
    const t = new SettleTracker()
    writeFileSync(join(dir, 'z-first.bin'), 'z')
    await observe(t, dir)
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'sub', 'b.bin'), 'b')
    writeFileSync(join(dir, 'a-second.bin'), 'a')
    writeFileSync(join(dir, 'empty.bin'), '')
    symlinkSync(join(dir, 'z-first.bin'), join(dir, 'link.bin'))
    await observe(t, dir)
    await sleep(60)
    await observe(t, dir)
    const ready = t.settled(Date.now(), 50).map(r => r.path)
    expect(ready[0]).toBe('z-first.bin')
    expect(new Set(ready.slice(1))).toEqual(new Set(['a-second.bin', 'sub/b.bin']))
    expect(ready).not.toContain('empty.bin')
    expect(ready).not.toContain('link.bin')
  })
})

describe('a watched folder that is gone', () => {
  it('is said in one sentence that names it once and says what happens: nothing is sent until it is back', async () => {
    const gone = join(dir, 'segments')
    mkdirSync(gone)
    renameSync(gone, join(dir, 'segments-old'))
    const scanned = await scanFolder(gone, 'segments')
    // The window showed "cannot read the watched folder …/segments: ENOENT: no such file or
    // directory, scandir '…/segments'".
    expect(scanned.ok ? '' : scanned.error.message).toBe(`the watched folder ${gone} is gone (moved, renamed or deleted); nothing is sent until it is back`)
    // A file where the folder was is not the folder either.
    writeFileSync(gone, 'x')
    const file = await scanFolder(join(gone, 'inner'), 'inner')
    expect(file.ok ? '' : file.error.message).toContain('is gone (moved, renamed or deleted)')
  })
})

describe('batches', () => {
  const files = (sizes: readonly number[]): Array<{ path: string; size: number }> => sizes.map((size, i) => ({ path: `f${i}`, size }))

  it('take the longest prefix within the file and byte bounds, in order, and at least one file', () => {
    const limits = { maxFiles: 3, maxBytes: 100 }
    expect(nextBatch(files([10, 10, 10, 10, 10]), limits).map(f => f.path)).toEqual(['f0', 'f1', 'f2'])
    expect(nextBatch(files([60, 30, 20, 5]), limits).map(f => f.path)).toEqual(['f0', 'f1'])
    expect(nextBatch(files([500, 1]), limits).map(f => f.path)).toEqual(['f0'])
    expect(nextBatch([], limits)).toEqual([])
    // 10,000 small segments at the default bounds: one batch.
    expect(nextBatch(files(new Array(10_000).fill(1_000))).length).toBe(10_000)
    expect(nextBatch(files(new Array(10_001).fill(1_000))).length).toBe(10_000)
  })

  it('are cut when the burst is over, when full, or when the oldest ready file waited too long', () => {
    const limits = { maxFiles: 10, maxBytes: 1_000 }
    expect(dueNow(0, 0, 0, 0, limits)).toBe(false)
    expect(dueNow(3, 30, 0, 0, limits)).toBe(true)
    expect(dueNow(3, 30, 5, 0, limits, 10_000)).toBe(false)
    expect(dueNow(10, 30, 5, 0, limits, 10_000)).toBe(true)
    expect(dueNow(3, 1_000, 5, 0, limits, 10_000)).toBe(true)
    expect(dueNow(3, 30, 5, 10_000, limits, 10_000)).toBe(true)
  })
})

describe('channel store', () => {
  it('keeps channels and what each sent across a restart, owner-only', async () => {
    const data = join(dir, 'data')
    const loaded = await ChannelStore.load(data)
    if (!loaded.ok) throw new Error(loaded.error.message)
    const config: ChannelConfig = { id: newChannelId(), dir: '/srv/segments', name: 'segments', group: 'lab', ids: [], settleMs: 3000, createdAt: new Date().toISOString() }
    expect((await loaded.value.add(config)).ok).toBe(true)
    const progress = {
      sent: { 'seg-1.ts': { size: 10, mtimeMs: 1.5, sha256: 'ab'.repeat(32), batch: 1 } },
      batches: [{ seq: 1, infoHash: 'c'.repeat(40), fileCount: 1, totalLength: 10, createdAt: new Date().toISOString(), to: ['d'.repeat(32)] }]
    }
    expect((await loaded.value.saveProgress(config.id, progress)).ok).toBe(true)

    const again = await ChannelStore.load(data)
    if (!again.ok) throw new Error(again.error.message)
    expect(again.value.list()).toEqual([config])
    const p = await again.value.loadProgress(config.id)
    expect(p.ok && p.value).toEqual(progress)
    if (process.platform !== 'win32') {
      expect(statSync(join(data, 'channels.json')).mode & 0o077).toBe(0)
      expect(statSync(join(data, 'channels', `${config.id}.json`)).mode & 0o077).toBe(0)
    }
    expect((await again.value.remove(config.id)).ok).toBe(true)
    const third = await ChannelStore.load(data)
    expect(third.ok && third.value.list()).toEqual([])
    const gone = third.ok ? await third.value.loadProgress(config.id) : undefined
    expect(gone?.ok === true && gone.value.batches).toEqual([])
  })

  it('refuses a damaged channels file rather than watching the wrong folder', async () => {
    const data = join(dir, 'data2')
    mkdirSync(data)
    writeFileSync(join(data, 'channels.json'), JSON.stringify([{ id: 'nothex', dir: '/x' }]))
    const loaded = await ChannelStore.load(data)
    expect(loaded.ok).toBe(false)
  })
})
