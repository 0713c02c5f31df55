// A recipient that freezes mid-transfer (SIGSTOP: a machine suspended or swapping, its sockets
// still open) while the others still need pieces only it was given: the origin finds it lost (its
// reports stop and its control port does not answer), every member closes its connections to it,
// and the others fetch what it held from the origin instead of waiting on open sockets (WebTorrent
// gives up on a silent peer only after 30 s, and the schedule counted its pieces as held). Woken,
// it dials again and finishes too.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'
import { memberRowOn } from './status-json.js'

const MiB = 1024 * 1024
// 48 MiB at 40 Mbit/s take about 10 s: the freeze falls in the middle.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }, { downMbit: 40 }], 'frozen')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'), fx.agent(3, 'lab-03'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a recipient that freezes mid-transfer', () => {
  it('does not hold up the others, and finishes once it wakes', async () => {
    const [, r1, r2, r3] = agents as [LabAgent, LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(48 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02,lab-03', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    await r3.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedBytes > 16 * MiB, 30_000, 'past 16 MiB', 0)
    const pid = r3.pid
    if (pid === undefined) throw new Error('lab-03 has no pid')
    process.kill(pid, 'SIGSTOP')
    const stoppedAt = Date.now()
    try {
      // WebTorrent drops a peer that sends nothing for 30 s; the others must not wait for that.
      for (const r of [r1, r2]) {
        const done = await r.waitFor(e => isVerified(e) && e.name === 'image.bin', 25_000, 'verified while lab-03 is frozen', 0)
        expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
      }
      console.log(`lab-01 and lab-02 verified ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after lab-03 froze`)
      // The dashboard tells the truth: the frozen machine is lost, not "downloading" at a frozen figure.
      const frozen = await memberRowOn(fx, 0, 'image.bin', 'lab-03')
      expect(frozen.state).toBe('lost')
      expect(frozen.lostSince).toBeDefined()
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    const woken = await r3.waitFor(e => isVerified(e) && e.name === 'image.bin', 60_000, 'lab-03 verified after waking', 0)
    expect(isVerified(woken) ? woken.sha256 : '').toBe(sha(data))
    expect(sha(readFileSync(join(r3.spec.downloadsDir, 'image.bin')))).toBe(sha(data))
    // Its verified report reaches the origin, which shows it verified again.
    const deadline = Date.now() + 15_000
    let row = await memberRowOn(fx, 0, 'image.bin', 'lab-03')
    while (row.state !== 'verified' && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 250))
      row = await memberRowOn(fx, 0, 'image.bin', 'lab-03')
    }
    expect(row.state).toBe('verified')
  }, 150_000)
})
