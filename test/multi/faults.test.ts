// Faults that must cost time, never data: the origin leaving as soon as the swarm together holds
// every piece (the others finish among themselves), and a recipient's cable pulled mid-transfer
// (the others finish without it, the origin shows it lost) and plugged back (it finishes without
// anyone doing anything).
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { memberRowOn, recipientRows, statusOn, type StatusJson } from './status-json.js'

const MiB = 1024 * 1024
// Recipients download at 40 Mbit/s: slow enough to act in the middle of a transfer.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }, { downMbit: 40 }], 'faults')
const agents: LabAgent[] = []

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')


beforeAll(async () => {
  for (const i of [0, 1, 2, 3]) agents.push(fx.agent(i, i === 0 ? 'origin' : `r${i}`))
  for (const a of agents) await a.start()
}, 60_000)

async function send (file: string, to: string): Promise<string> {
  const r = await fx.cli(0, ['send', file, '--to', to, '--json'])
  if (r.code !== 0) throw new Error(`send failed: ${r.stderr}`)
  return lastJson<{ infoHash: string }>(r.stdout).infoHash
}

/** True when the recipients' bitfields (as the origin's piece maps have them) together cover every piece. */
function swarmHoldsAll (view: StatusJson, infoHash: string): boolean {
  const d = view.distributions.find(x => x.infoHash === infoHash)
  if (!d) return false
  const union = new Uint8Array(Math.ceil(d.pieceCount / 8))
  for (const r of recipientRows(d)) {
    const bits = Buffer.from(d.pieces.members[r.id] ?? '', 'base64')
    for (let i = 0; i < union.length; i++) union[i] = (union[i] ?? 0) | (bits[i] ?? 0)
  }
  for (let i = 0; i < d.pieceCount; i++) if (((union[i >> 3] ?? 0) & (0x80 >> (i & 7))) === 0) return false
  return true
}

describe('faults lose nothing', () => {
  it('the origin may leave once the swarm holds every piece; the others still finish', async () => {
    const file = join(fx.work, 'early.bin')
    // About 10 s a copy: the swarm holds every piece long before, even when the status polls are slow.
    const data = randomBytes(48 * MiB)
    writeFileSync(file, data)
    const infoHash = await send(file, 'r1,r2,r3')
    const started = Date.now()
    let left = false
    while (Date.now() - started < 60_000) {
      const view = await statusOn(fx, 0, 10_000)
      if (swarmHoldsAll(view, infoHash)) { left = true; break }
      await new Promise(r => setTimeout(r, 200))
    }
    expect(left).toBe(true)
    const unfinished = agents.slice(1).filter(a => !a.events.some(isVerified))
    console.log(`origin left with ${unfinished.length} of 3 recipients still downloading`)
    await agents[0]?.kill()
    for (const a of agents.slice(1)) await a.waitFor(isVerified, 60_000, `${a.name} to verify without the origin`, 0)
    for (const i of [1, 2, 3]) expect(sha(readFileSync(join(fx.work, `dl${i}`, 'early.bin')))).toBe(sha(data))
    expect(unfinished.length).toBeGreaterThan(0)
    await agents[0]?.start()
  }, 120_000)

  it('a recipient whose cable is pulled mid-transfer: the others finish without it, it is shown lost, and it finishes once it is back, by itself', async () => {
    const file = join(fx.work, 'cable.bin')
    const data = randomBytes(24 * MiB)
    writeFileSync(file, data)
    const [, r1, r2, victim] = agents as [LabAgent, LabAgent, LabAgent, LabAgent]
    const from = [r1, r2, victim].map(a => a.events.length)
    await send(file, 'r1,r2,r3')
    await victim.waitFor(e => isProgress(e) && e.name === 'cable.bin' && e.verifiedBytes > 4 * MiB, 30_000, 'progress past 4 MiB', from[2])
    expect((await fx.lab.setLink(fx.host(3), false)).ok).toBe(true)
    const cutAt = Date.now()
    try {
      // Its sockets stay open on both ends (no FIN crosses a pulled cable): the pieces only it
      // holds must not keep the others waiting for it.
      for (const [i, r] of [r1, r2].entries()) {
        const done = await r.waitFor(e => isVerified(e) && e.name === 'cable.bin', 25_000, 'verified while r3 is cut off', from[i])
        expect(isVerified(done) ? done.sha256 : '').toBe(sha(data))
      }
      console.log(`r1 and r2 verified ${((Date.now() - cutAt) / 1000).toFixed(1)} s after r3's cable was pulled`)
      // The origin tells the truth about r3: lost, not receiving at a frozen figure.
      const deadline = Date.now() + 15_000
      let row = await memberRowOn(fx, 0, 'cable.bin', 'r3')
      while (row.state !== 'lost' && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 300))
        row = await memberRowOn(fx, 0, 'cable.bin', 'r3')
      }
      expect(row.state).toBe('lost')
      expect(victim.events.slice(from[2]).some(e => isVerified(e) && e.name === 'cable.bin')).toBe(false)
    } finally {
      expect((await fx.lab.setLink(fx.host(3), true)).ok).toBe(true)
    }
    const backAt = Date.now()
    await victim.waitFor(e => isVerified(e) && e.name === 'cable.bin', 90_000, 'the cut recipient to verify', from[2])
    console.log(`r3 verified ${((Date.now() - backAt) / 1000).toFixed(1)} s after its cable was plugged back`)
    expect(sha(readFileSync(join(fx.work, 'dl3', 'cable.bin')))).toBe(sha(data))
  }, 150_000)
})
