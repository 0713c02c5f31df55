// A machine that got its copy and then froze (a laptop whose lid was shut: suspended, its sockets
// still open) while another still needs pieces that, once the first copy was verified, the origin
// left to it. The origin asks a verified copy's control port itself while others are still on
// their way (its open BitTorrent connection proves nothing then), marks it offline, and every
// member closes its connections to it: the other finishes from the origin.
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'
import { memberRowOn } from './status-json.js'

const MiB = 1024 * 1024
// 24 MiB at 8 Mbit/s take about 25 s: lab-01 (unshaped) is verified long before lab-02, even on a
// loaded machine.
const fx = labFixture([{ name: 'origin' }, {}, { downMbit: 8 }], 'frozenseed')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a verified copy that freezes while another is still on its way', () => {
  it('is shown offline, and the other finishes without it', async () => {
    const [, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(24 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const first = await r1.waitFor(e => isVerified(e) && e.name === 'image.bin', 30_000, 'lab-01 verified', 0)
    expect(isVerified(first) ? first.sha256 : '').toBe(sha(data))
    const pid = r1.pid
    if (pid === undefined) throw new Error('lab-01 has no pid')
    process.kill(pid, 'SIGSTOP')
    const stoppedAt = Date.now()
    try {
      const progress = [...r2.events].reverse().find(e => isProgress(e) && e.name === 'image.bin')
      expect(r2.events.some(e => isVerified(e) && e.name === 'image.bin'), 'lab-02 was done before lab-01 froze: nothing left to test').toBe(false)
      console.log(`lab-02 had ${progress !== undefined && isProgress(progress) ? (progress.verifiedBytes / MiB).toFixed(1) : '?'} MiB when lab-01 froze`)
      const done = await r2.waitFor(e => isVerified(e) && e.name === 'image.bin', 60_000, 'lab-02 verified while lab-01 is frozen', 0)
      expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
      console.log(`lab-02 verified ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after lab-01 froze`)
      // Still verified (its copy was checked), and shown as away.
      const frozen = await memberRowOn(fx, 0, 'image.bin', 'lab-01')
      expect(frozen.state).toBe('verified')
      expect(frozen.offlineSince).toBeDefined()
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    // Woken, its next report shows it there again.
    const deadline = Date.now() + 40_000
    let row = await memberRowOn(fx, 0, 'image.bin', 'lab-01')
    while (row.offlineSince !== undefined && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 500))
      row = await memberRowOn(fx, 0, 'image.bin', 'lab-01')
    }
    expect(row.offlineSince).toBeUndefined()
  }, 150_000)
})
