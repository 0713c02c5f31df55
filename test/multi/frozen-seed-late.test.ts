// A copy that froze after the swarm had settled (everyone verified: its open BitTorrent connection is
// then taken for presence, since nobody needs its pieces), and a machine offered the file later.
// The newcomer unsettles the swarm, so the origin asks the frozen copy's control port again, marks
// it offline and closes its connections: the newcomer gets the file from the origin instead of
// waiting on a machine that holds every piece and answers nothing.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'
import { memberRowOn } from './status-json.js'

const MiB = 1024 * 1024
const fx = labFixture([{ name: 'origin' }, {}, {}], 'frozenlate')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a verified copy frozen once all was settled, and a machine offered the file later', () => {
  it('the newcomer gets the file, and the frozen copy is shown away', async () => {
    const [, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(24 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01', '--wait', '--timeout', '60', '--json'], 70_000)
    expect(sent.code, sent.stderr).toBe(0)
    const pid = r1.pid
    if (pid === undefined) throw new Error('lab-01 has no pid')
    // Settled: the only recipient verified (its row says so on the origin).
    expect((await memberRowOn(fx, 0, 'image.bin', 'lab-01')).state).toBe('verified')
    process.kill(pid, 'SIGSTOP')
    try {
      // Long enough for the origin to find its reports missing and let the open connection speak.
      await new Promise(resolve => setTimeout(resolve, 8_000))
      const offeredAt = Date.now()
      const more = await fx.cli(0, ['send', file, '--to', 'lab-02', '--json'], 60_000)
      expect(more.code, more.stderr).toBe(0)
      const done = await r2.waitFor(e => isVerified(e) && e.name === 'image.bin', 45_000, 'lab-02 verified while lab-01 is frozen', 0)
      expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
      expect(sha(readFileSync(join(r2.spec.downloadsDir, 'image.bin')))).toBe(sha(data))
      console.log(`lab-02 verified ${((Date.now() - offeredAt) / 1000).toFixed(1)} s after it was offered the file, lab-01 frozen`)
      const frozen = await memberRowOn(fx, 0, 'image.bin', 'lab-01')
      expect(frozen.state).toBe('verified')
      expect(frozen.offlineSince).toBeDefined()
    } finally {
      process.kill(pid, 'SIGCONT')
    }
  }, 150_000)
})
