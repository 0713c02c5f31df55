// distributions.json is written whole on each change of a record's state. A folder of 50,000 files
// makes an origin's record megabytes long, so changes that arrive while a write is on its way must
// share the next write instead of queueing one each — and still every change must reach the disk.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DistributionRegistry } from '../../../main/core/distributions/registry.js'
import type { OriginRecord } from '../../../main/core/distributions/records.js'
import { dataPaths } from '../../../main/core/settings/data-dir.js'

const work = mkdtempSync(join(tmpdir(), 'sd-registry-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function record (i: number, sources: number): OriginRecord {
  return {
    role: 'origin',
    infoHash: i.toString(16).padStart(40, '0'),
    name: `folder-${i}`,
    isFolder: true,
    totalLength: sources * 8192,
    pieceLength: 262144,
    pieceCount: Math.ceil(sources * 8192 / 262144),
    fileCount: sources,
    sha256: 'c'.repeat(64),
    createdAt: new Date(0).toISOString(),
    state: 'seeding',
    parentDir: '/srv',
    sources: Array.from({ length: sources }, (_, k) => ({ absolutePath: `/srv/folder-${i}/d${k % 5}/seg${k}.ts`, length: 8192, mtimeMs: 1e12 + k })),
    recipients: [],
    members: []
  }
}

describe('distribution registry writes', () => {
  it('a burst of 40 changes is a few writes, and the file ends with every change', async () => {
    const loaded = await DistributionRegistry.load(work)
    if (!loaded.ok) throw new Error(loaded.error.message)
    const reg = loaded.value
    await reg.put(record(1, 20_000))
    const before = reg.writes
    expect(before).toBe(1)
    // 40 state changes at once, as reports from many recipients do.
    await Promise.all(Array.from({ length: 40 }, async (_, k) => {
      await reg.update<OriginRecord>(record(1, 0).infoHash, r => ({ ...r, reason: `change ${k}`, recipients: [...r.recipients, { id: String(k).padStart(32, '0'), name: `r${k}`, address: '10.0.0.2', state: 'verified', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '' }] }))
    }))
    // One write was free to start at once; every other change joined the one queued after it.
    expect(reg.writes - before).toBeLessThanOrEqual(2)
    const stored = JSON.parse(readFileSync(dataPaths(work).distributions, 'utf8')) as OriginRecord[]
    expect(stored).toHaveLength(1)
    expect(stored[0]?.recipients).toHaveLength(40)
    expect(stored[0]?.reason).toBe('change 39')
  })

  it('a change made after a write began gets a write of its own', async () => {
    const loaded = await DistributionRegistry.load(join(work, 'b'))
    if (!loaded.ok) throw new Error(loaded.error.message)
    const reg = loaded.value
    const first = reg.put(record(2, 20_000))
    // The first write is on its way (its snapshot taken); this one must still reach the disk.
    await new Promise(resolve => setImmediate(resolve))
    const second = reg.put(record(3, 10))
    await Promise.all([first, second])
    const stored = JSON.parse(readFileSync(dataPaths(join(work, 'b')).distributions, 'utf8')) as OriginRecord[]
    expect(stored.map(r => r.name).sort()).toEqual(['folder-2', 'folder-3'])
  })

  it('an origin\'s source list is serialised once, however often its record is written again', async () => {
    const loaded = await DistributionRegistry.load(join(work, 'c'))
    if (!loaded.ok) throw new Error(loaded.error.message)
    const reg = loaded.value
    const plain = record(4, 5_000)
    let reads = 0
    // Counts every look into the list: JSON.stringify reads its length and each element.
    const sources = new Proxy(plain.sources, { get: (target, key, receiver) => { reads++; return Reflect.get(target, key, receiver) } })
    await reg.put({ ...plain, sources })
    const afterFirst = reads
    expect(afterFirst).toBeGreaterThan(5_000)
    for (let k = 0; k < 3; k++) await reg.update<OriginRecord>(plain.infoHash, r => ({ ...r, reason: `change ${k}` }))
    expect(reg.writes).toBe(4)
    expect(reads).toBe(afterFirst)
    const stored = JSON.parse(readFileSync(dataPaths(join(work, 'c')).distributions, 'utf8')) as OriginRecord[]
    expect(stored).toEqual([{ ...plain, reason: 'change 2' }])
  })
})
