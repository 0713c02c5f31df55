// Watched folders on real agents in network namespaces: an origin watches a folder for the group
// "lab" (two recipients). Three files, then a burst of 500 small ones, reach both machines as a
// few batches (not 500 swarms), byte for byte; a recipient that was stopped catches up when it is
// back; an origin restarted goes on without sending anything again; a file removed at the origin
// stays on the recipients.
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { WatchedFolder } from '../../common/api.js'
import { labFixture, lastJson } from './lab-fixture.js'
import type { LabAgent } from './lab-agent.js'
import { peersOn, statusOn } from './status-json.js'
import { digestTree } from './tree-digest.js'

const fx = labFixture(3, 'watch')
let origin: LabAgent
let r1: LabAgent
let r2: LabAgent
const ids: string[] = []
let src = ''

const dataDir = (i: number): string[] => ['--data-dir', join(fx.work, `d${i}`)]

async function until<T> (what: string, limitMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const v = await check()
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 500))
  }
  throw new Error(`${what}: not within ${limitMs} ms`)
}

async function channels (): Promise<WatchedFolder[]> {
  const r = await fx.cli(0, ['watch', '--list', '--json', ...dataDir(0)])
  if (r.code !== 0) throw new Error(`watch --list: ${r.stderr}`)
  return lastJson<WatchedFolder[]>(r.stdout)
}

/** Resolves when host i's copy of the channel folder holds exactly what the watched folder holds. */
async function mirrored (i: number, limitMs: number, folder = src): Promise<void> {
  await untilOrTell(i, `host ${i} holds every file of the watched folder`, limitMs, async () => {
    const copy = join(fx.work, `dl${i}`, basename(folder))
    if (!existsSync(copy)) return undefined
    const [want, have] = await Promise.all([digestTree(folder), digestTree(copy)])
    for (const [path, sha] of want) if (have.get(path) !== sha) return undefined
    return true
  })
}

/** `until`, and on failure the last lines of the origin and of host i's agent. */
async function untilOrTell<T> (i: number, what: string, limitMs: number, check: () => Promise<T | undefined>): Promise<T> {
  try {
    return await until(what, limitMs, check)
  } catch (err) {
    const agent = [origin, r1, r2][i]
    const listed = await fx.cli(0, ['watch', '--list', '--json', ...dataDir(0)])
    const progressDir = join(fx.work, 'd0', 'channels')
    const progress = existsSync(progressDir) ? readdirSync(progressDir).map(f => readFileSync(join(progressDir, f), 'utf8').slice(0, 3000)).join('\n') : ''
    throw new Error(`${(err as Error).message}\n--- watch --list ---\n${listed.stdout.slice(0, 4000)}\n--- progress ---\n${progress}\n--- origin ---\n${origin.tail(40)}\n--- host ${i} ---\n${agent?.tail(40) ?? ''}`)
  }
}

function writeFiles (prefix: string, count: number, minBytes: number, maxBytes: number, folder = src): void {
  for (let i = 0; i < count; i++) {
    writeFileSync(join(folder, `${prefix}-${String(i).padStart(4, '0')}.bin`), randomBytes(minBytes + Math.floor(Math.random() * (maxBytes - minBytes))))
  }
}

beforeAll(async () => {
  origin = fx.agent(0, 'origin', 'ask')
  const listening = await Promise.all([origin.start(), (r1 = fx.agent(1, 'r1')).start(), (r2 = fx.agent(2, 'r2')).start()])
  ids.push(listening[1].id, listening[2].id)
  await until('origin sees both recipients', 30_000, async () => {
    const peers = await peersOn(fx, 0)
    return ids.every(id => peers.some(p => p.id === id)) ? true : undefined
  })
  const grouped = await fx.cli(0, ['group', 'add', 'lab', ...ids, ...dataDir(0)])
  expect(grouped.code, grouped.stderr).toBe(0)
  src = join(fx.work, 'segments')
  mkdirSync(src)
}, 90_000)

describe('swarmdrop watch DIR --to @lab', () => {
  it('sends three files, then a burst of 500 small ones as a few batches, verified and identical on both machines', async () => {
    const watched = await fx.cli(0, ['watch', src, '--to', '@lab', '--settle', '1', '--json', ...dataDir(0)])
    expect(watched.code, watched.stderr).toBe(0)
    expect(lastJson<WatchedFolder>(watched.stdout).group).toBe('lab')
    writeFiles('first', 3, 100_000, 2_000_000)
    await mirrored(1, 60_000)
    await mirrored(2, 60_000)
    mkdirSync(join(src, 'burst'))
    for (let i = 0; i < 500; i++) writeFileSync(join(src, 'burst', `seg-${String(i).padStart(4, '0')}.ts`), randomBytes(500 + Math.floor(Math.random() * 4000)))
    await mirrored(1, 120_000)
    await mirrored(2, 120_000)
    const [c] = await channels()
    // One batch for the three files, a few for the burst (a scan may split it), never one per file.
    expect(c?.batches).toBeGreaterThanOrEqual(2)
    expect(c?.batches).toBeLessThanOrEqual(8)
    expect(c?.filesSent).toBe(503)
    const status = await statusOn(fx, 0)
    expect(status.distributions.length).toBeLessThanOrEqual(8)
    console.log(`503 files (3, then a burst of 500) went out as ${c?.batches ?? 0} batches, ${status.distributions.length} distributions`)
    await until('both machines verified every batch', 30_000, async () => {
      const [now] = await channels()
      return now !== undefined && now.members.length === 2 && now.members.every(m => m.behindBatches === 0) && now.backlogFiles === 0 ? true : undefined
    })
    // Nothing of the staging folders is left on the recipients.
    for (const i of [1, 2]) expect(readdirSync(join(fx.work, `dl${i}`))).toEqual(['segments'])
  }, 300_000)

  it('a machine stopped while files arrive gets what it missed when it is back', async () => {
    await r2.stop()
    writeFiles('while-away', 5, 10_000, 300_000)
    await mirrored(1, 60_000)
    const behind = await until('r2 shown behind', 30_000, async () => {
      const [c] = await channels()
      const m = c?.members.find(x => x.id === ids[1])
      return m !== undefined && m.behindBatches > 0 ? m : undefined
    })
    expect(behind.behindBytes).toBeGreaterThan(0)
    await r2.start()
    await mirrored(2, 90_000)
  }, 240_000)

  it('an origin restarted goes on watching without sending anything again', async () => {
    const [before] = await channels()
    await origin.stop()
    await origin.start()
    // Longer than the settle time and a full rescan: anything it would send again, it would have by now.
    await new Promise(r => setTimeout(r, 10_000))
    const [after] = await channels()
    expect(after?.batches).toBe(before?.batches)
    expect(after?.filesSent).toBe(before?.filesSent)
    expect(after?.backlogFiles).toBe(0)
    writeFiles('after-restart', 1, 50_000, 60_000)
    await mirrored(1, 60_000)
    await mirrored(2, 60_000)
    const [last] = await channels()
    expect(last?.batches).toBe((before?.batches ?? 0) + 1)
    expect(last?.lastBatch?.fileCount).toBe(1)
  }, 180_000)

  it('a file removed from the watched folder stays on the recipients', async () => {
    rmSync(join(src, 'burst', 'seg-0007.ts'))
    writeFiles('after-delete', 1, 1_000, 2_000)
    await mirrored(1, 60_000)
    await mirrored(2, 60_000)
    for (const i of [1, 2]) expect(existsSync(join(fx.work, `dl${i}`, 'segments', 'burst', 'seg-0007.ts'))).toBe(true)
  }, 120_000)

  it('unwatch stops it: a new file is not sent', async () => {
    const removed = await fx.cli(0, ['unwatch', src, ...dataDir(0)])
    expect(removed.code, removed.stderr).toBe(0)
    expect(await channels()).toEqual([])
    writeFiles('unwatched', 1, 1_000, 2_000)
    await new Promise(r => setTimeout(r, 6_000))
    expect(existsSync(join(fx.work, 'dl1', 'segments', 'unwatched-0000.bin'))).toBe(false)
  }, 60_000)

  it('with --mirror-deletes, a file removed from the folder is removed on the machines, unless edited there', async () => {
    const folder = join(fx.work, 'renders')
    mkdirSync(folder)
    const watched = await fx.cli(0, ['watch', folder, '--to', '@lab', '--settle', '1', '--mirror-deletes', '--json', ...dataDir(0)])
    expect(watched.code, watched.stderr).toBe(0)
    expect(lastJson<WatchedFolder>(watched.stdout).mirrorDeletes).toBe(true)
    writeFiles('frame', 3, 20_000, 40_000, folder)
    await mirrored(1, 60_000, folder)
    await mirrored(2, 60_000, folder)
    const copy = (i: number, name: string): string => join(fx.work, `dl${i}`, 'renders', name)
    // Edited on r1 after it arrived: that copy is r1's now, and stays.
    appendFileSync(copy(1, 'frame-0001.bin'), 'local edit')
    rmSync(join(folder, 'frame-0000.bin'))
    rmSync(join(folder, 'frame-0001.bin'))
    await untilOrTell(2, 'the removed files are gone on both machines', 60_000, async () =>
      [copy(1, 'frame-0000.bin'), copy(2, 'frame-0000.bin'), copy(2, 'frame-0001.bin')].every(p => !existsSync(p)) ? true : undefined)
    expect(existsSync(copy(1, 'frame-0001.bin'))).toBe(true)
    for (const i of [1, 2]) expect(existsSync(copy(i, 'frame-0002.bin'))).toBe(true)
  }, 180_000)

  it('a machine added to the group later gets every batch it missed', async () => {
    const grouped = await fx.cli(0, ['group', 'add', 'late', ids[0] ?? '', ...dataDir(0)])
    expect(grouped.code, grouped.stderr).toBe(0)
    const folder = join(fx.work, 'late')
    mkdirSync(folder)
    const watched = await fx.cli(0, ['watch', folder, '--to', '@late', '--settle', '1', ...dataDir(0)])
    expect(watched.code, watched.stderr).toBe(0)
    writeFiles('early', 4, 10_000, 200_000, folder)
    await mirrored(1, 60_000, folder)
    expect(existsSync(join(fx.work, 'dl2', 'late'))).toBe(false)
    const added = await fx.cli(0, ['group', 'add', 'late', ids[1] ?? '', ...dataDir(0)])
    expect(added.code, added.stderr).toBe(0)
    await mirrored(2, 90_000, folder)
  }, 180_000)
})
