// A sender that hangs for a few seconds mid-transfer (SIGSTOP, then SIGCONT; a machine swapping or
// suspended looks the same): the recipient's progress report waits for the one on its way instead
// of opening a new TLS connection to the sender every second (each one a handshake for both sides
// once the sender answers again), and the download goes on to a verified copy afterwards.
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress, isVerified, type ListeningEvent } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const MiB = 1024 * 1024
const HANG_MS = 5_000
// 48 MiB at 40 Mbit/s take about 10 s: the hang falls in the middle.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }], 'hung')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/** Connections from the recipient's namespace to the sender's control port, in any TCP state but listening. */
async function connectionsTo (address: string, port: number): Promise<number> {
  const r = await fx.lab.run(1, 'ss', ['-tnH', 'dst', `${address}:${port}`])
  if (r.code !== 0) throw new Error(`ss failed: ${r.stderr}`)
  return r.stdout.split('\n').filter(l => l.trim() !== '').length
}

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a sender that hangs mid-transfer', () => {
  it('gets one report at a time, not a new connection a second, and the copy is verified after it wakes', async () => {
    const [origin, r1] = agents as [LabAgent, LabAgent]
    const listening = await origin.waitFor(e => e.event === 'listening', 1_000, 'listening', 0) as ListeningEvent
    const originIp = fx.lab.hosts[0]?.ip ?? ''
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(48 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    expect(lastJson<{ infoHash: string }>(sent.stdout).infoHash).toMatch(/^[0-9a-f]{40}$/)
    await r1.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedBytes > 8 * MiB, 30_000, 'past 8 MiB', 0)

    const pid = origin.pid
    if (pid === undefined) throw new Error('the origin agent has no pid')
    const before = await connectionsTo(originIp, listening.controlPort)
    process.kill(pid, 'SIGSTOP')
    let most = before
    try {
      const until = Date.now() + HANG_MS
      while (Date.now() < until) {
        await new Promise(r => setTimeout(r, 500))
        most = Math.max(most, await connectionsTo(originIp, listening.controlPort))
      }
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    console.log(`connections to the sender's control port: ${before} before the hang, at most ${most} during ${HANG_MS / 1000} s of it`)
    // The kept connection, and at most one more (a report that was just being sent as the hang began).
    expect(most).toBeLessThanOrEqual(Math.max(before, 1) + 1)

    const done = await r1.waitFor(e => isVerified(e) && e.name === 'image.bin', 60_000, 'verified', 0)
    expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
    expect(sha(readFileSync(join(r1.spec.downloadsDir, 'image.bin')))).toBe(sha(data))
  }, 120_000)
})
