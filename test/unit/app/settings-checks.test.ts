// Settings saved through the AppService (the door every window uses) are checked against this
// machine: a downloads folder nothing can be saved in, or that is relative, is refused with the
// offer card's sentence, and a name another machine on the network already answers to is refused
// (send --to NAME could not tell them apart). Nothing refused is stored. The read-only folder is a
// small tmpfs mounted read-only, so that case needs root.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

const isRoot = process.getuid?.() === 0
const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-settings-checks-')); dirs.push(d); return d }

describe('settings saved through the app service', () => {
  let node: SwarmNode
  let app: AppService
  let dataDir = ''
  let readOnly = ''
  const otherId = 'ab'.repeat(16)

  beforeAll(async () => {
    dataDir = tmp()
    const r = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0, name: 'lab-01' }, anyPortIfTaken: true })
    if (!r.ok) throw new Error(r.error.message)
    node = r.value
    app = new AppService(node, { shell: 'web' })
    node.discovery.setDirect({ id: otherId, name: 'lab-02', platform: 'linux', version: 'test', controlPort: 1, btPort: 2, address: '10.0.0.12', lastSeen: Date.now() })
    if (isRoot) {
      readOnly = join(tmp(), 'stick')
      mkdirSync(readOnly)
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'swarmdrop-unit-settings-ro', readOnly])
    }
  }, 30_000)

  afterAll(async () => {
    app?.close()
    await node?.stop()
    if (readOnly) execFileSync('umount', ['-l', readOnly])
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  const save = async (patch: Record<string, unknown>) => await app.handle({ type: 'update-settings', patch })
  const stored = (): Record<string, unknown> => {
    try { return JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown> } catch { return {} }
  }

  it('refuses the name of another machine on the network, in any case, and keeps its own', async () => {
    const r = await save({ name: 'LAB-02' })
    expect(r).toEqual({ ok: false, error: { code: 'name-taken', message: 'another machine on this network is already called lab-02 (10.0.0.12, abab·abab): choose another name, or the two cannot be told apart when sending by name' } })
    expect(node.settings.name).toBe('lab-01')
    expect(stored().name).not.toBe('LAB-02')
    expect((await save({ name: 'lab-03' })).ok).toBe(true)
    expect(node.settings.name).toBe('lab-03')
  })

  it('refuses a relative downloads folder and one that is a file, with the offer card\'s sentence', async () => {
    const before = node.settings.downloadsDir
    expect(await save({ downloadsDir: 'downloads/here' })).toEqual({ ok: false, error: { code: 'not-writable', message: 'the downloads folder must be a full path, not "downloads/here": a relative one would depend on where Swarmdrop was started' } })
    const file = join(tmp(), 'a-file')
    writeFileSync(file, 'x')
    expect(await save({ downloadsDir: file })).toEqual({ ok: false, error: { code: 'not-writable', message: `cannot save here: ${file} is not a folder. Choose another folder` } })
    expect(node.settings.downloadsDir).toBe(before)
    expect(stored().downloadsDir).not.toBe(file)
  })

  it('takes a folder not made yet under one it can write (made when the first file arrives)', async () => {
    const dir = join(tmp(), 'not', 'made')
    expect((await save({ downloadsDir: dir })).ok).toBe(true)
    expect(node.settings.downloadsDir).toBe(dir)
  })

  it.skipIf(!isRoot)('refuses a folder on a read-only mount, also one not made yet there', async () => {
    expect(await save({ downloadsDir: readOnly })).toEqual({ ok: false, error: { code: 'not-writable', message: `cannot save here: ${readOnly} is on a read-only file system. Choose another folder` } })
    const below = join(readOnly, 'sub')
    expect(await save({ downloadsDir: below })).toEqual({ ok: false, error: { code: 'not-writable', message: `cannot save here: ${below} is on a read-only file system. Choose another folder` } })
  })
})
