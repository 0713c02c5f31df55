// Faults that must cost time, never data: the origin leaving as soon as the swarm together holds
// every piece (the others finish among themselves), and a recipient's cable pulled mid-transfer
// and plugged back (it finishes without anyone doing anything).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkNamespaceSupport, Lab, type LabHost } from '../lab/netns-lab.js'
import { isProgress, isVerified } from './agent-events.js'
import { LabAgent } from './lab-agent.js'

const CLI = resolve('dist/main/agent/cli.js')
const MiB = 1024 * 1024
let lab: Lab | undefined
let work = ''
const agents: LabAgent[] = []

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

interface OriginView { distributions: Array<{ record: { infoHash: string; totalLength: number; pieceCount: number; recipients?: Array<{ name: string; bitfield?: string }> }; transfer?: { uploadedBytes: number } }> }

beforeAll(async () => {
  const support = await checkNamespaceSupport()
  if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
  // Recipients download at 40 Mbit/s: slow enough to act in the middle of a transfer.
  const created = await Lab.create({ hosts: [{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }, { downMbit: 40 }] })
  if (!created.ok) throw new Error(created.error.message)
  lab = created.value
  work = mkdtempSync(join(tmpdir(), 'sd-faults-'))
  for (const host of lab.hosts) {
    agents.push(new LabAgent({ lab, host, cli: CLI, name: host.index === 0 ? 'origin' : `r${host.index}`, dataDir: join(work, `d${host.index}`), downloadsDir: join(work, `dl${host.index}`) }))
  }
  for (const a of agents) await a.start()
}, 60_000)

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {})
  await lab?.destroy()
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

async function send (file: string, to: string): Promise<string> {
  const r = await (lab as Lab).run((lab as Lab).hosts[0] as LabHost, process.execPath, [CLI, 'send', file, '--to', to, '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 30_000 })
  if (r.code !== 0) throw new Error(`send failed: ${r.stderr}`)
  return (JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { infoHash: string }).infoHash
}

/** True when the recipients' reported bitfields together cover every piece. */
function swarmHoldsAll (view: OriginView, infoHash: string): boolean {
  const d = view.distributions.find(x => x.record.infoHash === infoHash)
  if (!d) return false
  const union = new Uint8Array(Math.ceil(d.record.pieceCount / 8))
  for (const r of d.record.recipients ?? []) {
    const bits = Buffer.from(r.bitfield ?? '', 'base64')
    for (let i = 0; i < union.length; i++) union[i] = (union[i] ?? 0) | (bits[i] ?? 0)
  }
  for (let i = 0; i < d.record.pieceCount; i++) if (((union[i >> 3] ?? 0) & (0x80 >> (i & 7))) === 0) return false
  return true
}

describe('faults lose nothing', () => {
  it('the origin may leave once the swarm holds every piece; the others still finish', async () => {
    const l = lab as Lab
    const file = join(work, 'early.bin')
    const data = randomBytes(24 * MiB)
    writeFileSync(file, data)
    const infoHash = await send(file, 'r1,r2,r3')
    const started = Date.now()
    let left = false
    while (Date.now() - started < 60_000) {
      const s = await l.run(l.hosts[0] as LabHost, process.execPath, [CLI, 'status', '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 10_000 })
      const view = JSON.parse(s.stdout.trim().split('\n').pop() ?? '{}') as OriginView
      if (swarmHoldsAll(view, infoHash)) { left = true; break }
      await new Promise(r => setTimeout(r, 200))
    }
    expect(left).toBe(true)
    const unfinished = agents.slice(1).filter(a => !a.events.some(isVerified))
    console.log(`origin left with ${unfinished.length} of 3 recipients still downloading`)
    await agents[0]?.kill()
    for (const a of agents.slice(1)) await a.waitFor(isVerified, 60_000, `${a.name} to verify without the origin`, 0)
    for (const i of [1, 2, 3]) expect(sha(readFileSync(join(work, `dl${i}`, 'early.bin')))).toBe(sha(data))
    expect(unfinished.length).toBeGreaterThan(0)
    await agents[0]?.start()
  }, 120_000)

  it('a recipient whose cable is pulled mid-transfer finishes once it is back, by itself', async () => {
    const l = lab as Lab
    const file = join(work, 'cable.bin')
    const data = randomBytes(24 * MiB)
    writeFileSync(file, data)
    const victim = agents[3] as LabAgent
    const from = victim.events.length
    await send(file, 'r1,r2,r3')
    await victim.waitFor(e => isProgress(e) && e.name === 'cable.bin' && e.verifiedBytes > 4 * MiB, 30_000, 'progress past 4 MiB', from)
    expect((await l.setLink(l.hosts[3] as LabHost, false)).ok).toBe(true)
    await new Promise(r => setTimeout(r, 6_000))
    expect(victim.events.slice(from).some(e => isVerified(e) && e.name === 'cable.bin')).toBe(false)
    expect((await l.setLink(l.hosts[3] as LabHost, true)).ok).toBe(true)
    await victim.waitFor(e => isVerified(e) && e.name === 'cable.bin', 90_000, 'the cut recipient to verify', from)
    expect(sha(readFileSync(join(work, 'dl3', 'cable.bin')))).toBe(sha(data))
  }, 150_000)
})
