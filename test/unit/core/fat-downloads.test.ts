// A downloads folder on FAT (a USB stick's usual format), which holds no file of 4 GiB or more,
// offered a 4 GiB image: said up front instead of failing at the first piece past 4 GiB (a raw
// "EFBIG: file too large"). A FAT image loop-mounted for this test (root and mkfs.vfat, from
// Debian's dosfstools, and a kernel with vfat: skipped where it has none). The agent accepting by
// policy declines with the reason; the one that asks shows it on the offer card. The words are
// checked everywhere.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import type { Peer } from '../../../main/core/discovery/peer-info.js'
import { readFileSync } from 'node:fs'
import { offerView } from '../../../main/core/app/offers-view.js'
import { diskFailure } from '../../../main/core/engine/disk-errors.js'
import { fileSizeLimit, limitOfFileSystemType } from '../../../main/core/node/folder-access.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

const MKFS = '/usr/sbin/mkfs.vfat'
const kernelHasFat = (() => { try { return /\svfat$/m.test(readFileSync('/proc/filesystems', 'utf8')) } catch { return false } })()
const runnable = process.getuid?.() === 0 && existsSync(MKFS) && kernelHasFat
const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-fat-')); dirs.push(d); return d }
const nodes: SwarmNode[] = []
let stick = ''
let infoHash = ''
let origin: SwarmNode

async function start (name: string, overrides: Record<string, unknown> = {}): Promise<SwarmNode> {
  const r = await SwarmNode.start({ dataDir: tmp(), overrides: { btPort: 0, controlPort: 0, name, ...overrides }, anyPortIfTaken: true })
  if (!r.ok) throw new Error(r.error.message)
  nodes.push(r.value)
  return r.value
}

async function until (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const listing = (n: SwarmNode, name: string): Peer => ({ id: n.identity.id, name, platform: 'linux', version: 'test', controlPort: n.controlPort, btPort: n.engine.port, address: '127.0.0.1', lastSeen: Date.now() })
const REASON = (dir: string): string => `cannot save big.img here: ${dir} is on a FAT file system, which holds no file of 4 GiB or more, and big.img is 4.3 GB`

const GiB = 1024 * 1024 * 1024

describe('the words for a file larger than its folder\'s file system holds', () => {
  it('FAT (statfs type 0x4d44) holds no file of 4 GiB; other types no limit here', () => {
    expect(limitOfFileSystemType(0x4d44)).toEqual({ bytes: 4 * GiB - 1, words: 'a FAT file system, which holds no file of 4 GiB or more' })
    expect(limitOfFileSystemType(0xef53)).toBeUndefined() // ext4
    expect(limitOfFileSystemType(0x01021994)).toBeUndefined() // tmpfs
  })

  it('an offer card says it, after a folder that cannot be written at all', () => {
    const summary = { offerId: 'o-1', infoHash: 'a'.repeat(40), name: 'big.img', totalLength: 4 * GiB, fileCount: 1, largestFile: { path: 'big.img', length: 4 * GiB }, sha256: 'b'.repeat(64), sender: { id: 'c'.repeat(32), name: 'lab-07', address: '10.0.0.7' }, receivedAt: '2026-12-07T19:00:00.000Z' }
    const fat = limitOfFileSystemType(0x4d44)
    expect(offerView(summary, false, '/media/stick', { freeBytes: 8 * GiB, ...(fat !== undefined ? { limit: fat } : {}) }).destination.problem).toBe('/media/stick is on a FAT file system, which holds no file of 4 GiB or more, and big.img is 4.3 GB')
    expect(offerView({ ...summary, largestFile: { path: 'big.img', length: 4 * GiB - 1 } }, false, '/media/stick', { freeBytes: 8 * GiB, ...(fat !== undefined ? { limit: fat } : {}) }).destination.problem).toBeUndefined()
    expect(offerView(summary, false, '/media/stick', { freeBytes: 8 * GiB, problem: '/media/stick is on a read-only file system', ...(fat !== undefined ? { limit: fat } : {}) }).destination.problem).toBe('/media/stick is on a read-only file system')
  })

  it('a write refused as too large mid-transfer reads as such', () => {
    const err = Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG', path: '/media/stick/big.img.part' })
    expect(diskFailure(err)).toBe('cannot write big.img.part: it is larger than the file system of /media/stick holds')
  })
})

describe.skipIf(!runnable)(`a downloads folder on FAT offered a file of 4 GiB (needs root, mkfs.vfat and a kernel with vfat${kernelHasFat ? '' : ': this one has none'})`, () => {
  beforeAll(async () => {
    const image = join(tmp(), 'stick.img')
    writeFileSync(image, '')
    await truncate(image, 64 * 1024 * 1024)
    execFileSync(MKFS, ['-F', '32', image], { stdio: 'ignore' })
    stick = join(tmp(), 'stick')
    mkdirSync(stick)
    execFileSync('mount', ['-o', 'loop', image, stick])
    origin = await start('lab-origin')
    // A sparse file of exactly 4 GiB: one byte over what FAT holds.
    const big = join(tmp(), 'big.img')
    writeFileSync(big, '')
    await truncate(big, 4 * 1024 * 1024 * 1024)
    const created = await origin.createDistribution(big)
    if (!created.ok) throw new Error(created.error.message)
    infoHash = created.value.infoHash
  }, 120_000)

  afterAll(async () => {
    for (const n of nodes) await n.stop()
    if (stick) execFileSync('umount', ['-l', stick])
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('knows FAT\'s limit, and no limit elsewhere', async () => {
    expect(await fileSizeLimit(stick)).toMatchObject({ bytes: 4 * 1024 * 1024 * 1024 - 1 })
    expect(await fileSizeLimit(join(stick, 'not', 'made'))).toMatchObject({ bytes: 4 * 1024 * 1024 * 1024 - 1 })
    expect(await fileSizeLimit(tmp())).toBeUndefined()
  })

  it('an agent accepting everything declines with the reason', async () => {
    const r = await start('lab-01', { accept: 'all', downloadsDir: stick })
    origin.discovery.setDirect(listing(r, 'lab-01'))
    r.discovery.setDirect(listing(origin, 'lab-origin'))
    const offered = await origin.offer(infoHash, [r.identity.id])
    if (!offered.ok) throw new Error(offered.error.message)
    expect(offered.value.map(x => [x.state, x.reason])).toEqual([['declined', REASON(stick)]])
  }, 30_000)

  it('an agent that asks shows the reason on the offer card', async () => {
    const r = await start('lab-02', { accept: 'ask', downloadsDir: stick })
    origin.discovery.setDirect(listing(r, 'lab-02'))
    r.discovery.setDirect(listing(origin, 'lab-origin'))
    const app = new AppService(r, { shell: 'web' })
    try {
      const offered = await origin.offer(infoHash, [r.identity.id])
      expect(offered.ok && offered.value.map(x => x.state)).toEqual(['pending'])
      await until('the card and its folder checked', () => app.state().offers[0]?.destination.problem !== undefined)
      expect(app.state().offers[0]?.destination.problem).toBe(`${stick} is on a FAT file system, which holds no file of 4 GiB or more, and big.img is 4.3 GB`)
      const refused = await app.handle({ type: 'accept', offerId: app.state().offers[0]?.offerId })
      expect(refused).toMatchObject({ ok: false, error: { code: 'not-writable', message: REASON(stick) } })
    } finally {
      app.close()
    }
  }, 30_000)
})
