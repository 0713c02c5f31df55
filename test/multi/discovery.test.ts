// mDNS discovery across real network stacks: agents in three namespaces find each other (what
// `swarmdrop peers --json` shows), a gracefully stopped agent disappears from the others' lists
// within 5 s, and a killed one once it stops answering (well within its record's TTL).
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabHost } from '../lab/netns-lab.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const GRACEFUL_LIMIT_MS = 5_000
const DEAD_LIMIT_MS = 25_000 // 16 s without an answer + one 5 s query round + margin

interface PeerLine { id: string; name: string; address: string; platform: string; controlPort: number; btPort: number; trusted: boolean }

const fx = labFixture(3, 'discovery')
const agents: LabAgent[] = []

beforeAll(async () => {
  for (const i of [0, 1, 2]) {
    const a = fx.agent(i, `disc-${i}`)
    agents.push(a)
    await a.start()
  }
}, 60_000)

async function peersSeenBy (i: number): Promise<PeerLine[]> {
  const r = await fx.cli(i, ['peers', '--json'], 10_000)
  if (r.code !== 0) throw new Error(`peers failed (${String(r.code)}): ${r.stderr}`)
  return lastJson<PeerLine[]>(r.stdout)
}

async function until (what: string, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started
    await new Promise(r => setTimeout(r, 250))
  }
  throw new Error(`${what}: not within ${limitMs} ms`)
}

describe('discovery over mDNS between namespaces', () => {
  it('each agent sees the others with their advertised ports and addresses', async () => {
    await until('both peers visible', 15_000, async () => (await peersSeenBy(0)).length === 2)
    const peers = await peersSeenBy(0)
    expect(peers.map(p => p.name).sort()).toEqual(['disc-1', 'disc-2'])
    for (const p of peers) {
      const host = fx.lab.hosts.find(h => `disc-${h.index}` === p.name) as LabHost
      expect(p.address).toBe(host.ip)
      expect(p.id).toMatch(/^[0-9a-f]{32}$/)
      expect(p.controlPort).toBeGreaterThan(0)
      expect(p.btPort).toBeGreaterThan(0)
      expect(p.trusted).toBe(false)
    }
  }, 30_000)

  it('a gracefully stopped agent disappears within 5 s; a killed one well within its TTL', async () => {
    const seen = async (name: string): Promise<boolean> => (await peersSeenBy(0)).some(p => p.name === name)
    await until('disc-1 visible', 15_000, () => seen('disc-1'))
    await agents[1]?.stop()
    const gracefulMs = await until('disc-1 gone after SIGTERM', GRACEFUL_LIMIT_MS, async () => !(await seen('disc-1')))
    console.log(`graceful stop: gone from the list after ${gracefulMs} ms`)
    await agents[2]?.kill()
    const deadMs = await until('disc-2 gone after SIGKILL', DEAD_LIMIT_MS, async () => !(await seen('disc-2')))
    console.log(`SIGKILL: gone from the list after ${deadMs} ms`)
    expect(gracefulMs).toBeLessThanOrEqual(GRACEFUL_LIMIT_MS)
    // And it comes back when started again.
    await agents[1]?.start()
    await until('disc-1 back', 15_000, () => seen('disc-1'))
  }, 90_000)
})
