// A source file that changes after it was shared must not be served as the old distribution:
// after a restart the origin marks it stale, says why, and serves none of it.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
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
  work = mkdtempSync(join(tmpdir(), 'sd-stale-'))
  const spec = (i: number, name: string) => ({ lab: lab as Lab, host: (lab as Lab).hosts[i] as LabHost, cli: CLI, name, dataDir: join(work, `d${i}`), downloadsDir: join(work, `dl${i}`) })
  origin = new LabAgent(spec(0, 'origin'))
  member = new LabAgent(spec(1, 'member'))
}, 60_000)

afterAll(async () => {
  for (const a of [origin, member]) await a?.stop().catch(() => {})
  await lab?.destroy()
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

describe('a source file changed after it was shared', () => {
  it('is marked stale after a restart and is not served', async () => {
    const l = lab as Lab
    const [h0, , outsider] = l.hosts as [LabHost, LabHost, LabHost]
    await origin.start()
    await member.start()
    const file = join(work, 'image.iso')
    writeFileSync(file, randomBytes(1_000_000))
    const sent = await l.run(h0, process.execPath, [CLI, 'send', file, '--to', 'member', '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 30_000 })
    expect(sent.code, sent.stderr).toBe(0)
    const infoHash = (JSON.parse(sent.stdout.trim().split('\n').pop() ?? '{}') as { infoHash: string }).infoHash
    await member.waitFor(e => e.event === 'verified', 30_000, 'the member to verify')

    await origin.stop()
    appendFileSync(file, 'edited after sharing')
    const o = await origin.start()
    await origin.waitFor(e => e.event === 'warning', 10_000, 'a warning about the changed source', 0)
    expect(origin.lines.some(x => x.includes('changed since it was shared'))).toBe(true)
    const status = await l.run(h0, process.execPath, [CLI, 'status', '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 10_000 })
    const view = JSON.parse(status.stdout.trim().split('\n').pop() ?? '{}') as { distributions: Array<{ record: { infoHash: string; state: string; reason?: string }; transfer?: unknown }> }
    const d = view.distributions.find(x => x.record.infoHash === infoHash)
    expect(d?.record.state).toBe('stale')
    expect(d?.record.reason).toMatch(/changed since it was shared/)
    expect(d?.transfer).toBeUndefined() // not in the engine: nothing of it is served

    // Even a peer with the .torrent gets nothing from the origin.
    const torrent = join(work, 'd0', 'distributions', `${infoHash}.torrent`)
    const got = await l.run(outsider, process.execPath, [CLI, 'get', torrent, '--peer', `${h0.ip}:${o.btPort}`, '--out', join(work, 'out'), '--timeout', '5', '--json'], { timeoutMs: 20_000 })
    expect(got.code).toBe(1)
    // Offering it again is refused with the reason.
    const again = await l.run(h0, process.execPath, [CLI, 'send', file, '--to', 'member', '--json', '--data-dir', join(work, 'd0')], { timeoutMs: 30_000 })
    expect(again.code).toBe(0) // the changed file is a new distribution, offered under its new infohash
    const newHash = (JSON.parse(again.stdout.trim().split('\n').pop() ?? '{}') as { infoHash: string }).infoHash
    expect(newHash).not.toBe(infoHash)
  }, 90_000)
})
