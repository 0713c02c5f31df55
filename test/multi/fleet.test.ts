// A fleet: dozens of agents on one loaded host, one small file sent to all of them. At this load
// reports arrive late and out of order; `send --all --wait` must still end as soon as the last
// copy is verified (not at its timeout), and no recipient's state on the origin may go back
// once it was verified.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isRecipientUpdate, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const RECIPIENTS = 30
const fx = labFixture(RECIPIENTS + 1, 'fleet')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')


beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'))
  for (let i = 1; i <= RECIPIENTS; i++) agents.push(fx.agent(i, `m${String(i).padStart(2, '0')}`))
  // Two cores for all of them: start a few at a time so none times out while the others hash keys.
  for (let i = 0; i < agents.length; i += 6) await Promise.all(agents.slice(i, i + 6).map(async a => await a.start(60_000)))
}, 300_000)

describe(`a fleet of ${RECIPIENTS} machines`, () => {
  it('send --all --wait ends as soon as every copy is verified, and no state goes back', async () => {
    const origin = agents[0] as LabAgent
    const want = agents.slice(1).map(a => a.name).sort()
    // Every machine must be found before --all means all of them.
    const deadline = Date.now() + 90_000
    let seen: string[] = []
    while (Date.now() < deadline) {
      const r = await fx.cli(0, ['peers', '--json'], 15_000)
      seen = r.code === 0 ? lastJson<Array<{ name: string }>>(r.stdout).map(p => p.name).sort() : []
      if (seen.length === RECIPIENTS) break
      await new Promise(r => setTimeout(r, 1_000))
    }
    expect(seen).toEqual(want)

    const file = join(fx.work, 'fleet.bin')
    const data = randomBytes(4 * 1024 * 1024)
    writeFileSync(file, data)
    const from = origin.events.length
    const started = Date.now()
    const sent = await fx.cli(0, ['send', file, '--all', '--wait', '--timeout', '120', '--json'], 150_000)
    const ended = Date.now()
    expect(sent.code, `${sent.stderr}\n${sent.stdout.slice(-2000)}`).toBe(0)
    const summary = lastJson<{ recipients: Array<{ name: string; status: string }> }>(sent.stdout)
    expect(summary.recipients.map(r => r.status)).toEqual(new Array(RECIPIENTS).fill('verified'))

    // Each copy verified on its machine, byte for byte; send ended soon after the last one.
    let lastVerified = 0
    for (const a of agents.slice(1)) {
      const v = await a.waitFor(e => isVerified(e) && e.name === 'fleet.bin', 5_000, `${a.name} verified`, 0)
      lastVerified = Math.max(lastVerified, v.time)
    }
    for (let i = 1; i <= RECIPIENTS; i++) expect(sha(readFileSync(join(fx.work, `dl${i}`, 'fleet.bin')))).toBe(sha(data))
    console.log(`${RECIPIENTS} machines: send took ${((ended - started) / 1000).toFixed(1)} s, ended ${((ended - lastVerified) / 1000).toFixed(1)} s after the last copy verified`)
    // Time to hear the last report and for send to poll once more; far below its 120 s timeout.
    expect(ended - lastVerified).toBeLessThan(15_000)

    // On the origin, once a machine was verified it stayed verified.
    const updates = origin.events.slice(from).filter(isRecipientUpdate).filter(e => e.name === 'fleet.bin')
    for (const name of want) {
      const states = updates.filter(e => e.recipient.name === name).map(e => e.recipient.state)
      const first = states.indexOf('verified')
      expect(first, `${name} never verified on the origin: ${states.join(' → ')}`).toBeGreaterThanOrEqual(0)
      const own = agents.find(a => a.name === name)?.tail(40) ?? ''
      expect(states.slice(first).every(s => s === 'verified'), `${name}: ${states.join(' → ')}\n${own}`).toBe(true)
    }
  }, 240_000)
})
