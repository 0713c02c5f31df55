// The watcher that resumes a download once its disk has room: asks on its timer, answers once,
// and stays quiet after unwatch/stop. Free space comes from a real statfs of a temp folder here,
// with the needed amount moved around it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freeBytes, SpaceWatch } from '../../../main/core/node/space-watch.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-space-')); dirs.push(d); return d }
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

describe('space watch', () => {
  it('reads free bytes with statfs, undefined for a folder that is not there', async () => {
    const free = await freeBytes(tmp())
    expect(free).toBeGreaterThan(0)
    expect(await freeBytes(join(tmp(), 'gone', 'deeper'))).toBeUndefined()
  })

  it('calls back once, when what is needed fits, and reports each check that falls short', async () => {
    const dir = tmp()
    const free = (await freeBytes(dir)) ?? 0
    let needed = free * 2 + 1e12
    const calls: number[] = []
    const short: Array<[number, number]> = []
    const w = new SpaceWatch({ intervalMs: 20 })
    try {
      w.watch('a', dir, () => ({ bytes: needed, files: 0 }), f => calls.push(f.bytes), (f, n) => short.push([f.bytes, n.bytes]))
      await sleep(150)
      expect(calls).toEqual([])
      expect(short.length).toBeGreaterThan(0)
      for (const [f, n] of short) {
        expect(f).toBeGreaterThan(0)
        expect(n).toBe(needed)
      }
      expect(w.has('a')).toBe(true)
      needed = 1
      const until = Date.now() + 3_000
      while (calls.length === 0 && Date.now() < until) await sleep(10)
      await sleep(100)
      expect(calls).toHaveLength(1)
      expect(calls[0]).toBeGreaterThan(0)
      expect(w.has('a')).toBe(false)
    } finally {
      w.stop()
    }
  })

  it('waits for free file entries too, when the file system counts them', async () => {
    let room = { bytes: 1e9, files: 3 }
    const calls: number[] = []
    const short: number[] = []
    const w = new SpaceWatch({ intervalMs: 10, free: async () => room })
    try {
      w.watch('a', '/x', () => ({ bytes: 1e6, files: 10 }), r => calls.push(r.files ?? -1), r => short.push(r.files ?? -1))
      await sleep(60)
      expect(calls).toEqual([])
      expect(short.length).toBeGreaterThan(0)
      room = { bytes: 1e9, files: 12 }
      const until = Date.now() + 3_000
      while (calls.length === 0 && Date.now() < until) await sleep(5)
      expect(calls).toEqual([12])
      // A file system that counts no entries (btrfs) limits only bytes.
      const none: number[] = []
      w.watch('b', '/y', () => ({ bytes: 1e6, files: 10 }), r => none.push(r.bytes))
      room = { bytes: 1e9 } as typeof room
      const until2 = Date.now() + 3_000
      while (none.length === 0 && Date.now() < until2) await sleep(5)
      expect(none).toEqual([1e9])
    } finally {
      w.stop()
    }
  })

  it('says nothing after unwatch or stop', async () => {
    const dir = tmp()
    const calls: string[] = []
    const w = new SpaceWatch({ intervalMs: 10 })
    w.watch('a', dir, () => ({ bytes: 1, files: 0 }), () => calls.push('a'))
    w.watch('b', dir, () => ({ bytes: 1, files: 0 }), () => calls.push('b'))
    w.unwatch('a')
    w.stop()
    await sleep(100)
    expect(calls).toEqual([])
  })
})
