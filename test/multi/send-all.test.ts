// `send --all` offers the file to each machine as soon as it is found: the first machine gets its
// offer (and starts downloading) before the listening window ends, and a machine that appears
// while the window lasts is offered the same distribution.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const fx = labFixture(3, 'sendall')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'early'), fx.agent(2, 'late'))
  await Promise.all(agents.slice(0, 2).map(async a => await a.start(60_000)))
}, 120_000)

describe('send --all', () => {
  it('offers the file to the first machine at once and to a later one while it listens', async () => {
    const [, early, late] = agents as [LabAgent, LabAgent, LabAgent]
    // The origin must know the early machine before send starts.
    const deadline = Date.now() + 30_000
    let seen: string[] = []
    while (Date.now() < deadline) {
      const r = await fx.cli(0, ['peers', '--json'], 15_000)
      seen = r.code === 0 ? lastJson<Array<{ name: string }>>(r.stdout).map(p => p.name) : []
      if (seen.includes('early')) break
      await new Promise(r => setTimeout(r, 500))
    }
    expect(seen).toEqual(['early'])

    const file = join(fx.work, 'all.bin')
    const data = randomBytes(2 * 1024 * 1024)
    writeFileSync(file, data)
    const started = Date.now()
    const sending = fx.cli(0, ['send', file, '--all', '--listen', '40', '--wait', '--timeout', '120', '--json'], 180_000)
    // Within the 40 s window the early machine is offered the file (it listened before for the
    // whole window, so this fails if the offer waits for the window to end).
    const offered = await early.waitFor(e => e.event === 'offer-received', 30_000, 'the early machine\'s offer', 0)
    expect(offered.time - started).toBeLessThan(30_000)
    // Only now does the late machine start: whatever it gets comes from an offer made after the first.
    await late.start(60_000)
    const sent = await sending
    expect(sent.code, `${sent.stderr}\n${sent.stdout.slice(-2000)}`).toBe(0)
    const summary = lastJson<{ recipients: Array<{ name: string; status: string }> }>(sent.stdout)
    expect(summary.recipients.map(r => `${r.name} ${r.status}`).sort()).toEqual(['early verified', 'late verified'])
    // The late one got an offer of its own, of the same distribution (verified above).
    await late.waitFor(e => e.event === 'offer-received', 5_000, 'the late machine\'s offer', 0)
    for (const i of [1, 2]) expect(sha(readFileSync(join(fx.work, `dl${i}`, 'all.bin')))).toBe(sha(data))
  }, 200_000)
})
