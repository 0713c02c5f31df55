// A downloads folder on FAT (a USB stick's usual format), which holds no file of 4 GiB or more,
// offered a 4 GiB image: said up front instead of failing at the first piece past 4 GiB (a raw
// "EFBIG: file too large"). A FAT image loop-mounted for this test (root and mkfs.vfat, from
// Debian's dosfstools, and a kernel with vfat: skipped where it has none). The agent accepting by
// policy declines with the reason; the one that asks shows it on the offer card. The words are
// checked everywhere.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import { offerView } from '../../../main/core/app/offers-view.js'
import { diskFailure } from '../../../main/core/engine/disk-errors.js'
import { fileSizeLimit, limitOfFileSystemType } from '../../../main/core/node/folder-access.js'
import type { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { loopbackNodes, until } from './loopback-nodes.js'

const MKFS = '/usr/sbin/mkfs.vfat'
const kernelHasFat = (() => { try { return /\svfat$/m.test(readFileSync('/proc/filesystems', 'utf8')) } catch { return false } })()
const runnable = process.getuid?.() === 0 && existsSync(MKFS) && kernelHasFat
const { tmp, start, pair } = loopbackNodes('sd-fat-')
let stick = ''
let infoHash = ''
let origin: SwarmNode

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

  afterAll(() => {
    // Lazily: the nodes that opened it are stopped by the fixture, after this.
    if (stick) execFileSync('umount', ['-l', stick])
  })

  it('knows FAT\'s limit, and no limit elsewhere', async () => {
    expect(await fileSizeLimit(stick)).toMatchObject({ bytes: 4 * 1024 * 1024 * 1024 - 1 })
    expect(await fileSizeLimit(join(stick, 'not', 'made'))).toMatchObject({ bytes: 4 * 1024 * 1024 * 1024 - 1 })
    expect(await fileSizeLimit(tmp())).toBeUndefined()
  })

  it('an agent accepting everything declines with the reason', async () => {
    const r = await start('lab-01', { accept: 'all', downloadsDir: stick })
    pair(origin, 'lab-origin', r, 'lab-01')
    const offered = await origin.offer(infoHash, [r.identity.id])
    if (!offered.ok) throw new Error(offered.error.message)
    expect(offered.value.map(x => [x.state, x.reason])).toEqual([['declined', REASON(stick)]])
  }, 30_000)

  it('an agent that asks shows the reason on the offer card', async () => {
    const r = await start('lab-02', { accept: 'ask', downloadsDir: stick })
    pair(origin, 'lab-origin', r, 'lab-02')
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
