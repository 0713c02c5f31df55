// A downloads folder nothing can be saved in (a read-only mount here: a small tmpfs mounted
// read-only for this test, so it needs root), said in one sentence before any piece is written:
// folderProblem names it; an agent accepting everything says so at start and declines the offer with that sentence (the
// sender reads it on the machine's row), and one that asks shows it on the offer card, refuses an
// accept into it, and takes an accept into another folder.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import { folderProblem } from '../../../main/core/node/folder-access.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

const isRoot = process.getuid?.() === 0
const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-unwritable-')); dirs.push(d); return d }
let readOnly = ''

async function start (name: string, overrides: Record<string, unknown>, warnings: string[] = []): Promise<SwarmNode> {
  const r = await SwarmNode.start({ dataDir: tmp(), overrides: { btPort: 0, controlPort: 0, name, ...overrides }, anyPortIfTaken: true, beforeResume: n => { n.on('warning', m => warnings.push(m)) } })
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

async function until (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe.skipIf(!isRoot)('a downloads folder nothing can be saved in (needs root to mount a read-only tmpfs)', () => {
  let origin: SwarmNode
  const recipients: SwarmNode[] = []

  beforeAll(async () => {
    readOnly = join(tmp(), 'stick')
    mkdirSync(readOnly)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,ro', 'swarmdrop-unit-ro', readOnly])
    origin = await start('lab-origin', {})
  }, 30_000)

  afterAll(async () => {
    for (const r of recipients) await r.stop()
    await origin?.stop()
    if (readOnly) execFileSync('umount', ['-l', readOnly])
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function knowEachOther (r: SwarmNode, name: string): void {
    const now = Date.now()
    origin.discovery.setDirect({ id: r.identity.id, name, platform: 'linux', version: 'test', controlPort: r.controlPort, btPort: r.engine.port, address: '127.0.0.1', lastSeen: now })
    r.discovery.setDirect({ id: origin.identity.id, name: 'lab-origin', platform: 'linux', version: 'test', controlPort: origin.controlPort, btPort: origin.engine.port, address: '127.0.0.1', lastSeen: now })
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
    const r = await start('lab-01', { accept: 'all', downloadsDir: readOnly }, warnings)
    expect(warnings).toContain(`nothing can be saved in the downloads folder: ${readOnly} is on a read-only file system; offers cannot be accepted there (choose another with --downloads or in Settings)`)
    recipients.push(r)
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
    recipients.push(r)
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
