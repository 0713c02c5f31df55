// mDNS discovery across real network stacks: agents in three namespaces find each other (what
// `swarmdrop peers --json` shows), a gracefully stopped agent disappears from the others' lists
// within 5 s, and a killed one once it stops answering (well within its record's TTL).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkNamespaceSupport, Lab, type LabHost } from '../lab/netns-lab.js'
import { LabAgent } from './lab-agent.js'

const CLI = resolve('dist/main/agent/cli.js')
const GRACEFUL_LIMIT_MS = 5_000
const DEAD_LIMIT_MS = 25_000 // 16 s without an answer + one 5 s query round + margin

interface PeerLine { id: string; name: string; address: string; platform: string; controlPort: number; btPort: number; trusted: boolean }

let lab: Lab | undefined
let work = ''
const agents: LabAgent[] = []

beforeAll(async () => {
  const support = await checkNamespaceSupport()
  if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
  const created = await Lab.create({ hosts: 3 })
  if (!created.ok) throw new Error(created.error.message)
  lab = created.value
  work = mkdtempSync(join(tmpdir(), 'sd-discovery-'))
  for (const host of lab.hosts) {
    const a = new LabAgent({ lab, host, cli: CLI, name: `disc-${host.index}`, dataDir: join(work, `d${host.index}`), downloadsDir: join(work, `dl${host.index}`) })
    agents.push(a)
    await a.start()
  }
}, 60_000)

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {})
  await lab?.destroy()
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

async function peersSeenBy (host: LabHost, dataDir: string): Promise<PeerLine[]> {
  if (!lab) throw new Error('no lab')
  const r = await lab.run(host, process.execPath, [CLI, 'peers', '--json', '--data-dir', dataDir], { timeoutMs: 10_000 })
  if (r.code !== 0) throw new Error(`peers failed (${String(r.code)}): ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as PeerLine[]
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
    const l = lab as Lab
    const observer = l.hosts[0] as LabHost
    await until('both peers visible', 15_000, async () => (await peersSeenBy(observer, join(work, 'd0'))).length === 2)
    const peers = await peersSeenBy(observer, join(work, 'd0'))
    expect(peers.map(p => p.name).sort()).toEqual(['disc-1', 'disc-2'])
    for (const p of peers) {
      const host = l.hosts.find(h => `disc-${h.index}` === p.name) as LabHost
      expect(p.address).toBe(host.ip)
      expect(p.id).toMatch(/^[0-9a-f]{32}$/)
      expect(p.controlPort).toBeGreaterThan(0)
      expect(p.btPort).toBeGreaterThan(0)
      expect(p.trusted).toBe(false)
    }
  }, 30_000)

  it('a gracefully stopped agent disappears within 5 s; a killed one well within its TTL', async () => {
    const observer = (lab as Lab).hosts[0] as LabHost
    const seen = async (name: string): Promise<boolean> => (await peersSeenBy(observer, join(work, 'd0'))).some(p => p.name === name)
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
