// A downloads folder whose file system runs out of file entries (inodes) with bytes to spare: a
// folder of many small files (video segments) meets it on a small or tmpfs file system. A tmpfs
// with few inodes, mounted for this test (so it needs root). Before accepting, the offer is
// declined with the count it needs; mid-transfer the download waits with the reason in words (it
// read "1 B more needed (66.9 MB free)" and retried every two seconds), and goes on by itself
// once files are deleted there. An origin and a recipient on loopback, known to each other by
// address.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loopbackNodes, until } from './loopback-nodes.js'

const isRoot = process.getuid?.() === 0
const mounts: string[] = []
const { tmp, start, pair } = loopbackNodes('sd-inodes-')

/** A tmpfs of 64 MB with room for `inodes` entries (its root takes one). */
function smallFs (inodes: number): string {
  const dir = join(tmp(), 'fs')
  mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=64m,nr_inodes=${inodes}`, 'swarmdrop-unit-inodes', dir])
  mounts.push(dir)
  return dir
}

/** A folder of `n` files of 4 KiB in two sub-folders. */
function segments (n: number): { dir: string; bytes: (i: number) => Buffer } {
  const dir = join(tmp(), 'segments')
  mkdirSync(join(dir, 'a'), { recursive: true })
  mkdirSync(join(dir, 'b'))
  const bytes = (i: number): Buffer => Buffer.alloc(4096, i % 251)
  for (let i = 0; i < n; i++) writeFileSync(join(dir, i % 2 === 0 ? 'a' : 'b', `s${i}.ts`), bytes(i))
  return { dir, bytes }
}

afterAll(() => {
  // Lazily: the nodes that wrote there are stopped by the fixture, after this.
  for (const m of mounts) execFileSync('umount', ['-l', m])
})

describe.skipIf(!isRoot)('a downloads folder out of file entries (needs root to mount a small tmpfs)', () => {
  it('declines an offer of more files than it has entries for, with the counts', async () => {
    const fs = smallFs(60)
    const origin = await start('lab-origin')
    const r = await start('lab-01', { accept: 'all', downloadsDir: fs })
    pair(origin, 'lab-origin', r, 'lab-01')
    const created = await origin.createDistribution(segments(200).dir)
    if (!created.ok) throw new Error(created.error.message)
    const offered = await origin.offer(created.value.infoHash, [r.identity.id])
    if (!offered.ok) throw new Error(offered.error.message)
    expect(offered.value.map(x => [x.state, x.reason])).toEqual([['declined', `no room in ${fs}: its file system has 59 free file entries (inodes) left, and this needs 203, one per file and folder`]])
  }, 30_000)

  it('waits mid-transfer with the reason in words, and goes on once files are deleted there', async () => {
    const fs = smallFs(400)
    // 32 KiB/s from the origin: 200 files of 4 KiB take about 25 s.
    const origin = await start('lab-origin', { uploadLimit: 32 * 1024 })
    const r = await start('lab-01', { accept: 'all', downloadsDir: fs })
    pair(origin, 'lab-origin', r, 'lab-01')
    const { dir, bytes } = segments(200)
    const created = await origin.createDistribution(dir)
    if (!created.ok) throw new Error(created.error.message)
    const ih = created.value.infoHash
    const offered = await origin.offer(ih, [r.identity.id])
    expect(offered.ok && offered.value.map(x => x.state)).toEqual(['accepted'])
    await until('a download under way', () => (r.engine.stats(ih)?.verifiedPieces ?? 0) > 0)
    // Another program takes every file entry left.
    const filler = join(fs, 'filler')
    mkdirSync(filler)
    for (let i = 0; ; i++) {
      try { writeFileSync(join(filler, `f${i}`), '') } catch { break }
    }
    await until('waiting for room', () => r.registry.get(ih)?.state === 'no-space', 30_000)
    expect(r.registry.get(ih)?.reason).toMatch(new RegExp(`^no room for more files in ${fs}: its file system has 0 free file entries \\(inodes\\) for [\\d,]+ files still to create, though [\\d.]+ MB are free; it resumes by itself once files are deleted there$`))
    // It waits: no retry that fails again and again while nothing was freed.
    const stateOf = (): string | undefined => r.registry.get(ih)?.state
    for (let i = 0; i < 30; i++) {
      expect(stateOf()).toBe('no-space')
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    rmSync(filler, { recursive: true, force: true })
    await until('verified', () => stateOf() === 'verified', 60_000)
    for (let i = 0; i < 200; i += 37) expect(readFileSync(join(fs, 'segments', i % 2 === 0 ? 'a' : 'b', `s${i}.ts`)).equals(bytes(i))).toBe(true)
  }, 90_000)
})
