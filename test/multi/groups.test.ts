// Groups (issue 14, part 1): a group of two machines made with the CLI by id prefix, one of them
// switched off, a file sent to @lab. The machine on the network verifies; the one away is shown
// waiting (not failed), stays waiting across a restart of the origin, and when it is started again
// it receives and verifies the file with no second send. The group survives restarts and is
// edited in the data directory when no agent runs; `group list --json` prints MachineGroup values.
// A second file sent after that restart goes to lab-01 while lab-01 stays connected to the origin:
// lab-02, back, must then be admitted by lab-01 too (the origin hands each piece out once).
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MachineGroup } from '../../common/api.js'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { peersOn, statusOn } from './status-json.js'

const MiB = 1024 * 1024
const fx = labFixture([{ name: 'origin' }, {}, {}], 'groups')
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
let origin: LabAgent
let lab1: LabAgent
let lab2: LabAgent
let id1 = ''
let id2 = ''

/** Polls `check` until it holds, or throws with `what` after `ms`. */
async function within (what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const start = Date.now()
  while (Date.now() - start < ms) {
    if (await check()) return
    await new Promise(r => setTimeout(r, 300))
  }
  throw new Error(`${what}: not within ${ms / 1000} s`)
}

async function groups (): Promise<MachineGroup[]> {
  const r = await fx.cli(0, ['group', 'list', '--json'], 15_000)
  if (r.code !== 0) throw new Error(`group list failed: ${r.stderr}`)
  return lastJson<MachineGroup[]>(r.stdout)
}

async function rowOf (infoHash: string, id: string): Promise<{ state: string; waitingSince?: string; verified: boolean } | undefined> {
  const d = (await statusOn(fx, 0, 15_000)).distributions.find(x => x.infoHash === infoHash)
  return d?.members.find(m => m.id === id)
}

beforeAll(async () => {
  origin = fx.agent(0, 'origin')
  lab1 = fx.agent(1, 'lab-01')
  lab2 = fx.agent(2, 'lab-02')
  await origin.start()
  id1 = (await lab1.start()).id
  id2 = (await lab2.start()).id
  await within('origin sees both machines', 20_000, async () => (await peersOn(fx, 0, 10_000)).length === 2)
}, 60_000)

describe('a group with a machine that is away', () => {
  let infoHash = ''
  let data: Buffer = Buffer.alloc(0)
  let second: Buffer = Buffer.alloc(0)
  let secondHash = ''

  it('is made with the CLI by id prefix and listed as contract types', async () => {
    const made = await fx.cli(0, ['group', 'add', 'lab', id1.slice(0, 8), id2.slice(0, 10)])
    expect(made.code, made.stderr).toBe(0)
    // A name is not an identity: refused.
    const byName = await fx.cli(0, ['group', 'add', 'lab', 'lab-01'])
    expect(byName.code).toBe(2)
    expect(byName.stderr).toMatch(/not a device id/)
    const unknown = await fx.cli(0, ['send', join(fx.work, 'd0', 'groups.json'), '--to', '@nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/there is no group "nope"; groups: @lab/)
    const [lab] = await groups()
    expect(lab?.name).toBe('lab')
    expect(lab?.members.map(m => m.id).sort()).toEqual([id1, id2].sort())
    expect(lab?.members.every(m => m.online && /^[0-9a-f]{4}·[0-9a-f]{4}$/.test(m.fingerprint))).toBe(true)
    expect(lab?.members.map(m => m.name).sort()).toEqual(['lab-01', 'lab-02'])
  }, 60_000)

  it('sends to @lab: the machine on the network verifies, the one away waits', async () => {
    await lab2.stop()
    await within('origin drops lab-02', 30_000, async () => !(await peersOn(fx, 0, 10_000)).some(m => m.id === id2))
    const file = join(fx.work, 'image.bin')
    data = randomBytes(4 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', '@lab', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const summary = lastJson<{ ok: boolean; infoHash: string; recipients: Array<{ id: string; status: string }> }>(sent.stdout)
    infoHash = summary.infoHash
    expect(summary.ok).toBe(true)
    expect(summary.recipients.find(r => r.id === id2)?.status).toBe('waiting')
    await lab1.waitFor(e => isVerified(e) && e.name === 'image.bin', 60_000, 'lab-01 to verify', 0)
    expect(sha(readFileSync(join(fx.work, 'dl1', 'image.bin')))).toBe(sha(data))
    const row = await rowOf(infoHash, id2)
    expect(row?.state).toBe('waiting')
    expect(typeof row?.waitingSince).toBe('string')
    const status = await fx.cli(0, ['status'], 15_000)
    expect(status.stdout).toMatch(/lab-02 .*offline: gets it when it comes back/)
    expect(status.stdout).toMatch(/1 offline, to get it when back/)
  }, 120_000)

  it('keeps the group and the waiting machine across an origin restart, and edits groups with no agent running', async () => {
    await origin.stop()
    // No agent: the group is changed where it is kept (a full id; prefixes need machines seen).
    const other = await fx.cli(0, ['group', 'add', 'spare', id1])
    expect(other.code, other.stderr).toBe(0)
    expect((await groups()).map(g => g.name)).toEqual(['lab', 'spare'])
    const removed = await fx.cli(0, ['group', 'remove', 'spare'])
    expect(removed.code, removed.stderr).toBe(0)
    await origin.start()
    const after = await groups()
    expect(after.map(g => g.name)).toEqual(['lab'])
    expect(after[0]?.members.map(m => m.id).sort()).toEqual([id1, id2].sort())
    expect((await rowOf(infoHash, id2))?.state).toBe('waiting')
  }, 90_000)

  it('sends a second file to @lab while lab-02 is still away: lab-01 verifies it, lab-02 waits', async () => {
    const file = join(fx.work, 'second.bin')
    second = randomBytes(8 * MiB)
    writeFileSync(file, second)
    // A group and a name mix; a machine named twice is sent to once.
    const sent = await fx.cli(0, ['send', file, '--to', '@lab,lab-01', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const summary = lastJson<{ infoHash: string; recipients: Array<{ id: string; status: string }> }>(sent.stdout)
    secondHash = summary.infoHash
    expect(summary.recipients.map(r => r.id).sort()).toEqual([id1, id2].sort())
    await lab1.waitFor(e => isVerified(e) && e.name === 'second.bin', 60_000, 'lab-01 to verify the second file', 0)
    expect((await rowOf(secondHash, id2))?.state).toBe('waiting')
  }, 90_000)

  it('offers both files to the machine that comes back: it verifies them with no new send', async () => {
    const back = Date.now()
    await lab2.start()
    await lab2.waitFor(e => isVerified(e) && e.name === 'image.bin', 90_000, 'lab-02 to verify the first file after it came back', 0)
    await lab2.waitFor(e => isVerified(e) && e.name === 'second.bin', 90_000, 'lab-02 to verify the second file after it came back', 0)
    console.log(`lab-02 verified both files ${((Date.now() - back) / 1000).toFixed(1)} s after it was started again`)
    expect(sha(readFileSync(join(fx.work, 'dl2', 'image.bin')))).toBe(sha(data))
    expect(sha(readFileSync(join(fx.work, 'dl2', 'second.bin')))).toBe(sha(second))
    await within('origin shows lab-02 verified', 15_000, async () => (await rowOf(infoHash, id2))?.verified === true && (await rowOf(secondHash, id2))?.verified === true)
  }, 200_000)

  it('removes a member by id prefix through the running agent', async () => {
    const removed = await fx.cli(0, ['group', 'remove', 'lab', id2.slice(0, 8), '--json'])
    expect(removed.code, removed.stderr).toBe(0)
    expect(lastJson<MachineGroup>(removed.stdout).members.map(m => m.id)).toEqual([id1])
    expect((await groups())[0]?.members.map(m => m.id)).toEqual([id1])
  }, 30_000)
})
