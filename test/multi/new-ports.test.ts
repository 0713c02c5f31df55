// A device restarted on other ports (`--bt-port 0 --control-port 0`, or a port changed in its
// settings) mid-transfer: the others learn its new ports from its advert and reach it there, and
// every copy finishes. Before, they kept dialling the ports of its last run: a recipient waited at
// 0 B/s for an origin that was back, and the origin's row still showed it receiving.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isListening, isProgress, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'

const MiB = 1024 * 1024
const ANY_PORT = ['--bt-port', '0', '--control-port', '0']
// 40 MiB at 40 Mbit/s take about 9 s: long enough to act in the middle.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }], 'newports')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin', 'all', ANY_PORT), fx.agent(1, 'lab-01', 'all', ANY_PORT), fx.agent(2, 'lab-02', 'all', ANY_PORT))
  for (const a of agents) await a.start()
}, 60_000)

/** Kills `a` (SIGKILL) and starts it again; its ports differ from the last run's. */
async function restartElsewhere (a: LabAgent): Promise<void> {
  const before = await a.waitFor(isListening, 1_000, 'its listening line', 0)
  await a.kill()
  const after = await a.start()
  expect(after.btPort).not.toBe(before.btPort)
  expect(after.controlPort).not.toBe(before.controlPort)
}

/**
 * Sends a fresh 40 MiB `file` to both recipients, restarts `moved` on other ports once lab-01 is
 * past 8 MiB, and requires both copies verified and intact.
 */
async function restartMidTransfer (file: string, moved: LabAgent): Promise<void> {
  const [, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
  const path = join(fx.work, file)
  const data = randomBytes(40 * MiB)
  writeFileSync(path, data)
  const from = [r1.events.length, r2.events.length]
  const sent = await fx.cli(0, ['send', path, '--to', 'lab-01,lab-02', '--json'], 60_000)
  expect(sent.code, sent.stderr).toBe(0)
  await r1.waitFor(e => isProgress(e) && e.name === file && e.verifiedBytes > 8 * MiB, 30_000, 'lab-01 past 8 MiB', from[0])
  await restartElsewhere(moved)
  for (const r of [r1, r2]) {
    // A restarted agent's events start again at 0.
    const done = await r.waitFor(e => isVerified(e) && e.name === file, 45_000, `verified after ${moved.name} came back on other ports`, 0)
    expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
  }
  for (const i of [1, 2]) expect(sha(readFileSync(join(fx.work, `dl${i}`, file)))).toBe(sha(data))
}

describe('a device restarted on other ports', () => {
  it('the origin: the recipients find it again and finish', async () => {
    await restartMidTransfer('first.bin', agents[0] as LabAgent)
  }, 150_000)

  it('a recipient: the others reach it again and it finishes', async () => {
    await restartMidTransfer('second.bin', agents[1] as LabAgent)
  }, 150_000)
})
