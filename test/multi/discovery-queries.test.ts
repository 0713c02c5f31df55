// How much mDNS a LAN of agents makes. Every agent hears every answer (they are multicast), so one
// query refreshes all of them: five agents must not each ask every 5 s (a query draws an answer
// from every agent, which every agent decodes, so the traffic grew with the cube of the number of
// machines). A listener on a sixth host counts the queries for _swarmdrop._tcp.local on the wire,
// while every agent still sees the others and a killed one still leaves their lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { startQueryListener, type QueryListener } from './mdns-listener.js'

const AGENTS = 5
const WINDOW_MS = 30_000
const QUERY_INTERVAL_MS = 5_000

const fx = labFixture(AGENTS + 1, 'mdnsq')
const agents: LabAgent[] = []
let listener: QueryListener | undefined

async function until (what: string, limitMs: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    if (await check()) return
    await new Promise(r => setTimeout(r, 250))
  }
  throw new Error(`${what}: not within ${limitMs} ms`)
}

async function peerNames (i: number): Promise<string[]> {
  const r = await fx.cli(i, ['peers', '--json'], 10_000)
  if (r.code !== 0) throw new Error(`peers failed (${String(r.code)}): ${r.stderr}`)
  return lastJson<Array<{ name: string }>>(r.stdout).map(p => p.name).sort()
}

beforeAll(async () => {
  listener = await startQueryListener(fx, AGENTS, WINDOW_MS * 3)
  await Promise.all(Array.from({ length: AGENTS }, async (_, i) => {
    const a = fx.agent(i, `q-${i}`)
    agents.push(a)
    await a.start()
  }))
}, 60_000)

afterAll(() => { listener?.stop() })

describe('mDNS queries on a LAN of agents', () => {
  it('about one query per interval for the whole LAN, not one per agent, while every agent keeps seeing the others', async () => {
    const everyone = Array.from({ length: AGENTS }, (_, i) => `q-${i}`)
    await until('every agent sees the others', 20_000, async () => (await peerNames(0)).length === AGENTS - 1)
    const from = Date.now()
    await new Promise(r => setTimeout(r, WINDOW_MS))
    const asked = (listener?.queries ?? []).filter(t => t >= from).length
    const perAgentRate = Math.floor(WINDOW_MS / QUERY_INTERVAL_MS) * AGENTS
    console.log(`${asked} queries in ${WINDOW_MS / 1000} s from ${AGENTS} agents (each asking on its own: about ${perAgentRate})`)
    // An interval and up to a second of jitter between queries; a few collisions allowed.
    expect(asked).toBeGreaterThanOrEqual(Math.floor(WINDOW_MS / (QUERY_INTERVAL_MS + 2_000)))
    expect(asked).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / QUERY_INTERVAL_MS) + 3)
    // Nobody dropped anybody for want of its own queries.
    for (let i = 0; i < AGENTS; i++) expect(await peerNames(i)).toEqual(everyone.filter(n => n !== `q-${i}`))
  }, 90_000)

  it('a killed agent still leaves the others\' lists when it stops answering', async () => {
    await agents[1]?.kill()
    await until('q-1 gone after SIGKILL', 25_000, async () => !(await peerNames(0)).includes('q-1'))
    await until('q-1 gone everywhere', 5_000, async () => {
      for (const i of [2, 3, 4]) if ((await peerNames(i)).includes('q-1')) return false
      return true
    })
  }, 60_000)
})
