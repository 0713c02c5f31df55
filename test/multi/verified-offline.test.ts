// A verified copy whose machine dies stays verified but is shown offline: lab-02 verifies, is
// killed (SIGKILL, no mDNS goodbye), and within 10 s the origin's `status` shows it "✓ verified ·
// offline" (offlineSince in --json), left out of the copies in the swarm; lab-01 hears it from the
// origin too. Restarted on the same data directory, it reports again and the mark goes everywhere.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { statusOn } from './status-json.js'

const MiB = 1024 * 1024
const fx = labFixture(3, 'offline')
const agents: LabAgent[] = []

interface Seen { readonly state: string; readonly verified: boolean; readonly offlineSince?: string; readonly copies: number }

async function seenOn (i: number, infoHash: string, id: string): Promise<Seen | undefined> {
  const d = (await statusOn(fx, i, 10_000)).distributions.find(x => x.infoHash === infoHash)
  const row = d?.members.find(m => m.id === id)
  if (d === undefined || row === undefined) return undefined
  return { state: row.state, verified: row.verified, ...(row.offlineSince !== undefined ? { offlineSince: row.offlineSince } : {}), copies: d.totals.copiesInSwarm }
}

/** Polls `check` until it holds; returns the seconds it took, or throws with `what` after `ms`. */
async function within (what: string, ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < ms) {
    if (await check()) return (Date.now() - start) / 1000
    await new Promise(r => setTimeout(r, 300))
  }
  throw new Error(`${what}: not within ${ms / 1000} s`)
}

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a verified machine that dies', () => {
  it('is shown verified and offline within 10 s, and online again once it is back', async () => {
    const [, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    writeFileSync(file, randomBytes(8 * MiB))
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash
    const id2 = (await r2.waitFor(e => e.event === 'listening', 1_000, 'listening', 0) as { id: string }).id
    await Promise.all([r1, r2].map(async a => await a.waitFor(e => isVerified(e) && e.name === 'image.bin', 60_000, `${a.name} to verify`, 0)))
    await within('origin shows lab-02 verified', 15_000, async () => (await seenOn(0, infoHash, id2))?.state === 'verified')
    const before = await seenOn(0, infoHash, id2)
    expect(before?.offlineSince).toBeUndefined()
    expect(before?.copies).toBe(3)
    // Verified and still there: nothing is marked while it is (past the verified silence of 6 s).
    await new Promise(r => setTimeout(r, 8_000))
    expect((await seenOn(0, infoHash, id2))?.offlineSince).toBeUndefined()

    await r2.kill()
    const killedAt = Date.now()
    const took = await within('origin shows lab-02 verified and offline', 10_000, async () => {
      const s = await seenOn(0, infoHash, id2)
      return s?.state === 'verified' && s.verified && typeof s.offlineSince === 'string'
    })
    console.log(`lab-02 shown offline on the origin ${took.toFixed(1)} s after SIGKILL`)
    const after = await seenOn(0, infoHash, id2)
    expect(after?.copies).toBe(2)
    const text = await fx.cli(0, ['status'], 10_000)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/lab-02.*✓ verified · offline \d+:\d\d/)
    // lab-01 hears it with its next report to the origin (a settled swarm reports every 30 s).
    await within('lab-01 shows lab-02 offline', 40_000 - (Date.now() - killedAt), async () => typeof (await seenOn(1, infoHash, id2))?.offlineSince === 'string')

    await r2.start()
    const restarted = Date.now()
    const back = await within('origin shows lab-02 online again', 15_000, async () => {
      const s = await seenOn(0, infoHash, id2)
      return s?.state === 'verified' && s.offlineSince === undefined
    })
    console.log(`lab-02 online again on the origin ${back.toFixed(1)} s after its restart`)
    expect((await seenOn(0, infoHash, id2))?.copies).toBe(3)
    await within('lab-01 shows lab-02 online again', 20_000 - (Date.now() - restarted), async () => {
      const s = await seenOn(1, infoHash, id2)
      return s?.state === 'verified' && s.offlineSince === undefined
    })
  }, 180_000)
})
