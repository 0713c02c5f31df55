// A machine killed mid-transfer (SIGKILL: no mDNS goodbye) leaves the other machines' lists within
// seconds, not after discovery's 16 s without an answer: the connections they had with it close at
// once (the kernel closes a killed process's sockets), and each of them asks the LAN whether it is
// still there (discovery.ts, suspect). lab-01 and lab-02 receive a file from the origin and from
// each other; lab-01 is killed; within 6 s neither lab-02's nor the origin's `peers --json` lists it,
// while the machines still there stay listed everywhere (they answer: nobody else goes down).
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'
import { peersOn } from './status-json.js'

const MiB = 1024 * 1024
/** Well before the 16 s expiry (and its next query round) that dropped a killed machine before. */
const GONE_LIMIT_MS = 6_000
// Recipients receive at 40 Mbit/s: 40 MiB take about 9 s, so lab-01 dies mid-transfer.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }], 'killed')
const agents: LabAgent[] = []

async function names (i: number): Promise<string[]> {
  return (await peersOn(fx, i, 10_000)).map(m => m.name).sort()
}

/** Polls `check` until it holds; the ms it took from `from`, or throws with `what` past `limitMs` from `from`. */
async function within (what: string, from: number, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  while (Date.now() - from < limitMs) {
    if (await check()) return Date.now() - from
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`${what}: not within ${limitMs / 1000} s`)
}

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a machine killed mid-transfer', () => {
  it('leaves the lists of the machines it was connected to within 6 s; the others stay listed', async () => {
    const [origin, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    await within('every machine to see the others', Date.now(), 20_000, async () =>
      (await names(0)).join() === 'lab-01,lab-02' && (await names(2)).join() === 'lab-01,origin')
    const file = join(fx.work, 'image.bin')
    writeFileSync(file, randomBytes(40 * MiB))
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    // lab-02 connected to both others (the origin and lab-01), lab-01 well under way.
    await r2.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.peers >= 2 && e.verifiedBytes > 4 * MiB, 30_000, 'lab-02 under way with both connections', 0)
    await r1.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedBytes > 4 * MiB, 30_000, 'lab-01 under way', 0)
    const downsBefore = [origin, r2].map(a => a.events.filter(e => e.event === 'peer-down').length)
    expect(downsBefore).toEqual([0, 0])

    await r1.kill()
    const killedAt = Date.now()
    const onLab02 = await within('lab-02 to drop lab-01', killedAt, GONE_LIMIT_MS, async () => !(await names(2)).includes('lab-01'))
    const onOrigin = await within('the origin to drop lab-01', killedAt, GONE_LIMIT_MS, async () => !(await names(0)).includes('lab-01'))
    console.log(`lab-01 gone from lab-02's list ${(onLab02 / 1000).toFixed(1)} s and from the origin's ${(onOrigin / 1000).toFixed(1)} s after SIGKILL`)

    // The machines still there answered every question: listed everywhere, one 'down' each (lab-01's).
    await new Promise(r => setTimeout(r, 4_000))
    expect(await names(2)).toEqual(['origin'])
    expect(await names(0)).toEqual(['lab-02'])
    expect([origin, r2].map(a => a.events.filter(e => e.event === 'peer-down').length)).toEqual([1, 1])
  }, 120_000)
})
