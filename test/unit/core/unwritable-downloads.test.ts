// A downloads folder nothing can be saved in (a read-only mount here: a small tmpfs mounted
// read-only for this test, so it needs root), said in one sentence before any piece is written:
// folderProblem names it; an agent accepting everything says so at start and declines the offer with that sentence (the
// sender reads it on the machine's row), and one that asks shows it on the offer card, refuses an
// accept into it, and takes an accept into another folder.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import { folderProblem } from '../../../main/core/node/folder-access.js'
import type { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { loopbackNodes, until } from './loopback-nodes.js'

const isRoot = process.getuid?.() === 0
let readOnly = ''
const { tmp, start, pair } = loopbackNodes('sd-unwritable-')

describe.skipIf(!isRoot)('a downloads folder nothing can be saved in (needs root to mount a read-only tmpfs)', () => {
  let origin: SwarmNode

  beforeAll(async () => {
    readOnly = join(tmp(), 'stick')
    mkdirSync(readOnly)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,ro', 'swarmdrop-unit-ro', readOnly])
    origin = await start('lab-origin', {})
  }, 30_000)

  afterAll(() => {
    // Lazily: the nodes that opened it are stopped by the fixture, after this.
    if (readOnly) execFileSync('umount', ['-l', readOnly])
  })

  function knowEachOther (r: SwarmNode, name: string): void {
    pair(origin, 'lab-origin', r, name)
  }

  async function share (name: string): Promise<{ ih: string; data: Buffer }> {
    const data = randomBytes(256 * 1024)
    const path = join(tmp(), name)
    writeFileSync(path, data)
    const created = await origin.createDistribution(path)
    if (!created.ok) throw new Error(created.error.message)
    return { ih: created.value.infoHash, data }
  }

  it('names the problem: a read-only file system, also for a folder not made yet; not a folder; none where it can write', async () => {
    expect(await folderProblem(readOnly)).toBe(`${readOnly} is on a read-only file system`)
    expect(await folderProblem(join(readOnly, 'not', 'made'))).toBe(`${join(readOnly, 'not', 'made')} is on a read-only file system`)
    const file = join(tmp(), 'a-file')
    writeFileSync(file, 'x')
    expect(await folderProblem(file)).toBe(`${file} is not a folder`)
    expect(await folderProblem(tmp())).toBeUndefined()
    expect(await folderProblem(join(tmp(), 'new', 'folder'))).toBeUndefined()
  })

  it('an agent accepting everything says so at start, declines with the reason, and the sender reads it', async () => {
    const warnings: string[] = []
    const r = await start('lab-01', { accept: 'all', downloadsDir: readOnly }, { warnings })
    expect(warnings).toContain(`nothing can be saved in the downloads folder: ${readOnly} is on a read-only file system; offers cannot be accepted there (choose another with --downloads or in Settings)`)
    knowEachOther(r, 'lab-01')
    const { ih } = await share('auto.iso')
    const offered = await origin.offer(ih, [r.identity.id])
    if (!offered.ok) throw new Error(offered.error.message)
    expect(offered.value.map(x => x.state)).toEqual(['declined'])
    const row = origin.registry.get(ih)
    expect(row?.role === 'origin' ? row.recipients[0]?.reason : undefined).toBe(`cannot save auto.iso here: ${readOnly} is on a read-only file system`)
    expect(r.registry.get(ih)).toBeUndefined()
  }, 30_000)

  it('an agent that asks shows the problem on the card, refuses an accept into it, and takes one into another folder', async () => {
    const r = await start('lab-02', { accept: 'ask', downloadsDir: readOnly })
    knowEachOther(r, 'lab-02')
    const app = new AppService(r, { shell: 'web' })
    try {
      const { ih, data } = await share('asked.iso')
      const offered = await origin.offer(ih, [r.identity.id])
      if (!offered.ok) throw new Error(offered.error.message)
      await until('the offer and its folder checked', () => app.state().offers[0]?.destination.problem !== undefined)
      const card = app.state().offers[0]
      expect(card?.destination).toMatchObject({ dir: readOnly, problem: `${readOnly} is on a read-only file system` })
      const refused = await app.handle({ type: 'accept', offerId: card?.offerId })
      expect(refused).toMatchObject({ ok: false, error: { code: 'not-writable', message: `cannot save asked.iso here: ${readOnly} is on a read-only file system` } })
      expect(app.state().offers.length).toBe(1)
      const elsewhere = tmp()
      const accepted = await app.handle({ type: 'accept', offerId: card?.offerId, downloadsDir: elsewhere })
      expect(accepted.ok).toBe(true)
      await until('the copy verified', () => r.registry.get(ih)?.state === 'verified', 20_000)
      expect(readFileSync(join(elsewhere, 'asked.iso')).equals(data)).toBe(true)
    } finally {
      app.close()
    }
  }, 40_000)
})
