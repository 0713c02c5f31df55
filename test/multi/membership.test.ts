// Only the swarm's members exchange pieces: a machine that was not offered the distribution, but
// knows its infohash (it has the .torrent) and the members' BitTorrent ports, gets nothing from
// the origin nor from a recipient, and the members log the refusal.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkNamespaceSupport, Lab, type LabHost } from '../lab/netns-lab.js'
import { LabAgent } from './lab-agent.js'

const CLI = resolve('dist/main/agent/cli.js')
let lab: Lab | undefined
let work = ''
let origin: LabAgent
let member: LabAgent

beforeAll(async () => {
  const support = await checkNamespaceSupport()
  if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
  const created = await Lab.create({ hosts: 3 })
  if (!created.ok) throw new Error(created.error.message)
  lab = created.value
  work = mkdtempSync(join(tmpdir(), 'sd-member-'))
  const spec = (i: number, name: string) => ({ lab: lab as Lab, host: (lab as Lab).hosts[i] as LabHost, cli: CLI, name, dataDir: join(work, `d${i}`), downloadsDir: join(work, `dl${i}`) })
  origin = new LabAgent(spec(0, 'origin'))
  member = new LabAgent(spec(1, 'member'))
}, 60_000)

afterAll(async () => {
  for (const a of [origin, member]) await a?.stop().catch(() => {})
  await lab?.destroy()
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

describe('swarm membership', () => {
  it('refuses a non-member that knows the infohash and the ports, at the origin and at a recipient', async () => {
    const l = lab as Lab
    const [h0, h1, outsider] = l.hosts as [LabHost, LabHost, LabHost]
    const o = await origin.start()
    const m = await member.start()
    const file = join(work, 'secret.bin')
    const data = randomBytes(2 * 1024 * 1024)
    writeFileSync(file, data)
    const sent = await l.run(h0, process.execPath, [CLI, 'send', file, '--to', 'member', '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 30_000 })
    expect(sent.code, sent.stderr).toBe(0)
    const infoHash = (JSON.parse(sent.stdout.trim().split('\n').pop() ?? '{}') as { infoHash: string }).infoHash
    await member.waitFor(e => e.event === 'verified', 30_000, 'the member to verify')
    expect(readFileSync(join(work, 'dl1', 'secret.bin')).equals(data)).toBe(true)

    // The outsider has the .torrent (as if it had leaked) and dials both members directly.
    const torrent = join(work, 'd0', 'distributions', `${infoHash}.torrent`)
    const got = await l.run(outsider, process.execPath, [CLI, 'get', torrent, '--peer', `${h0.ip}:${o.btPort}`, '--peer', `${h1.ip}:${m.btPort}`, '--out', join(work, 'out'), '--timeout', '8', '--json'], { timeoutMs: 30_000 })
    expect(got.code).toBe(1)
    const progress = got.stdout.trim().split('\n').map(x => JSON.parse(x) as { event: string; verifiedBytes?: number })
    expect(Math.max(0, ...progress.map(p => p.verifiedBytes ?? 0))).toBe(0)
    expect(existsSync(join(work, 'out', 'secret.bin'))).toBe(false)
    const leftovers = existsSync(join(work, 'out')) ? readdirSync(join(work, 'out')) : []
    for (const f of leftovers) expect(readFileSync(join(work, 'out', f)).some(b => b !== 0)).toBe(false)
    const refusedBy = (a: LabAgent): boolean => a.lines.some(x => x.includes('"event":"non-member-refused"') && x.includes(outsider.ip))
    expect(refusedBy(origin)).toBe(true)
    expect(refusedBy(member)).toBe(true)
  }, 90_000)
})
