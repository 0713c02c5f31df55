// Two sites behind a router (no multicast across): the origin and one machine on subnet A, two
// machines on subnet B. mDNS finds only A; B's machines are added by address (`swarmdrop pair`, and
// they learn the origin in turn),
// take part in the swarm as members (B1 and B2 trade pieces, so about one copy crosses the router),
// and are dialled again after the origin restarts. An address that is not Swarmdrop, or that
// answers with another key after pairing, is refused with one sentence.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Machine, PairReply } from '../../common/api.js'
import { waitForOutput } from '../lab/netns-lab.js'
import { SINK_SERVER } from '../lab/probe-scripts.js'
import { isVerified } from './agent-events.js'
import { LabAgent } from './lab-agent.js'
import { CLI, labFixture, lastJson } from './lab-fixture.js'
import { parseSendSummary } from './send-summary.js'

// Subnet A's uploads are capped (as a site's uplink would be): uncapped, 24 MiB crossed the veths
// in under a second, before B1 and B2 had finished dialling each other, and then all of B's copies
// came through the router (seen once in CI).
const fx = labFixture([{ name: 'origin', upMbit: 50 }, { name: 'a1', upMbit: 50 }, { name: 'b1', subnet: 1 }, { name: 'b2', subnet: 1 }], 'subnets')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const MiB = 1024 * 1024
const SIZE = 24 * MiB

async function peers (): Promise<Machine[]> {
  const r = await fx.cli(0, ['peers', '--json'], 20_000)
  return r.code === 0 ? lastJson<Machine[]>(r.stdout) : []
}

/** The origin's online machines, once `done` holds of them (or whatever they are at the deadline). */
async function peersUntil (done: (names: string[]) => boolean, ms: number): Promise<Machine[]> {
  const deadline = Date.now() + ms
  let seen: Machine[] = []
  while (Date.now() < deadline) {
    seen = await peers()
    if (done(seen.map(m => m.name))) break
    await new Promise(resolve => setTimeout(resolve, 1_000))
  }
  return seen
}

const names = (ms: readonly Machine[]): string[] => ms.map(m => m.name).sort()

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'a1'), fx.agent(2, 'b1'), fx.agent(3, 'b2'))
  await Promise.all(agents.map(async a => await a.start(60_000)))
}, 120_000)

describe('machines on two subnets behind a router', () => {
  it('mDNS finds only the own subnet; pair adds the far machines by address', async () => {
    const near = await peersUntil(n => n.includes('a1'), 30_000)
    expect(names(near)).toEqual(['a1'])
    // The far machines answer mDNS on their own subnet, never across the router.
    await new Promise(resolve => setTimeout(resolve, 6_000))
    expect(names(await peers())).toEqual(['a1'])

    for (const [i, name] of [[2, 'b1'], [3, 'b2']] as const) {
      const r = await fx.cli(0, ['pair', fx.host(i).ip, '--json'])
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0)
      const reply = lastJson<PairReply>(r.stdout)
      expect(reply).toMatchObject({ name, address: fx.host(i).ip, pairedAddress: `${fx.host(i).ip}:47620`, added: true })
    }
    const all = await peersUntil(n => n.length === 3, 10_000)
    expect(names(all)).toEqual(['a1', 'b1', 'b2'])
    expect(all.find(m => m.name === 'b1')?.pairedAddress).toBe(`${fx.host(2).ip}:47620`)
    expect(all.find(m => m.name === 'a1')?.pairedAddress).toBeUndefined()

    // The paired machines learned the origin in turn (it told them its control port): they list it too.
    const deadline = Date.now() + 20_000
    let b1Sees: Machine[] = []
    while (Date.now() < deadline) {
      const r = await fx.cli(2, ['peers', '--json'], 20_000)
      b1Sees = r.code === 0 ? lastJson<Machine[]>(r.stdout) : []
      if (b1Sees.some(m => m.name === 'origin')) break
      await new Promise(resolve => setTimeout(resolve, 1_000))
    }
    expect(names(b1Sees)).toEqual(['b2', 'origin'])
    expect(b1Sees.find(m => m.name === 'origin')?.pairedAddress).toBe(`${fx.host(0).ip}:47620`)
  }, 90_000)

  it('sends to machines on both subnets; B1 and B2 trade pieces, the origin uploads about one copy', async () => {
    const file = join(fx.work, 'sites.bin')
    const data = randomBytes(SIZE)
    writeFileSync(file, data)
    const count = async (): Promise<{ crossIn: number; crossOut: number; bUp: number }> => {
      const [router, b1, b2] = await Promise.all([fx.lab.routerCounters(1), fx.lab.counters(2), fx.lab.counters(3)])
      if (!router.ok || !b1.ok || !b2.ok) throw new Error('no counters')
      return { crossIn: router.value.txBytes, crossOut: router.value.rxBytes, bUp: b1.value.txBytes + b2.value.txBytes }
    }
    const before = await count()
    const sent = await fx.cli(0, ['send', file, '--to', 'a1,b1,b2', '--wait', '--timeout', '150', '--json'], 180_000)
    expect(sent.code, `${sent.stderr}\n${sent.stdout.slice(-2000)}\n${agents.map(a => a.tail(30)).join('\n')}`).toBe(0)
    const after = await count()
    const summary = parseSendSummary(sent.stdout)
    if (summary instanceof Error) throw summary
    expect(summary.recipients.map(r => [r.name, r.status]).sort()).toEqual([['a1', 'verified'], ['b1', 'verified'], ['b2', 'verified']])
    for (const [i, a] of agents.slice(1).entries()) {
      await a.waitFor(e => isVerified(e) && e.name === 'sites.bin', 10_000, `${a.name} verified`, 0)
      expect(sha(readFileSync(join(fx.work, `dl${i + 1}`, 'sites.bin'))), a.name).toBe(sha(data))
    }
    // Into subnet B through the router; and what B's machines sent each other (all they sent, less what left B).
    const crossed = after.crossIn - before.crossIn
    const betweenB = (after.bUp - before.bUp) - (after.crossOut - before.crossOut)
    console.log(`${SIZE / MiB} MiB to 3 machines: the origin uploaded ${(summary.originUploadedBytes / MiB).toFixed(1)} MiB; ${(crossed / MiB).toFixed(1)} MiB crossed the router into subnet B; b1 and b2 sent each other ${(betweenB / MiB).toFixed(1)} MiB`)
    // Three copies went out, the origin sent about one of them.
    expect(summary.originUploadedBytes).toBeLessThan(1.5 * SIZE)
    // B's two copies did not both come through the router: B1 and B2 traded pieces.
    expect(betweenB).toBeGreaterThan(0.1 * SIZE)
    expect(crossed).toBeLessThan(1.9 * SIZE)
  }, 200_000)

  it('dials the paired machines again after the origin restarts', async () => {
    const origin = agents[0] as LabAgent
    await origin.stop()
    await origin.start(60_000)
    const back = await peersUntil(n => n.length === 3, 30_000)
    expect(names(back)).toEqual(['a1', 'b1', 'b2'])
  }, 120_000)

  it('refuses an address that is not Swarmdrop, or does not answer, with one sentence', async () => {
    const sink = fx.lab.spawn(fx.host(2), process.execPath, ['-e', SINK_SERVER, '7300', '30000'])
    const ready = await waitForOutput(sink, /listening/, 5_000)
    expect(ready.ok).toBe(true)
    const notOurs = await fx.cli(0, ['pair', `${fx.host(2).ip}:7300`])
    expect(notOurs.code).toBe(1)
    expect(notOurs.stderr.trim()).toMatch(/^swarmdrop: pair: 10\.213\.1\.12:7300 answered, but it is not a Swarmdrop device \([^\n]*\)$/)
    const nobody = await fx.cli(0, ['pair', `${fx.host(2).ip}:7301`])
    expect(nobody.code).toBe(1)
    expect(nobody.stderr.trim()).toMatch(/^swarmdrop: pair: cannot reach 10\.213\.1\.12:7301 \(connection refused\); check the address and that Swarmdrop runs there$/)
    sink.kill('SIGTERM')
  }, 60_000)

  it('refuses a paired address that answers with another key', async () => {
    const b2 = agents[3] as LabAgent
    const original = (await peers()).find(m => m.name === 'b2')
    expect(original?.online).toBe(true)
    await b2.stop()
    // Another device (a new key) at b2's address and port: an impostor, or a reinstall.
    const other = new LabAgent({ lab: fx.lab, host: fx.host(3), cli: CLI, name: 'b2', dataDir: join(fx.work, 'd3-other'), downloadsDir: join(fx.work, 'dl3-other') })
    try {
      await other.start(60_000)
      const origin = agents[0] as LabAgent
      const r = await fx.cli(0, ['pair', fx.host(3).ip])
      expect(r.code).toBe(1)
      expect(r.stderr.trim()).toMatch(/^swarmdrop: pair: 10\.213\.1\.13:47620 now answers with a different device key \([^)]*\), so it was refused; if that machine was reinstalled, unpair it and pair again$/)
      // The re-dial refuses it too: a warning in the origin's log, and b2 is no longer online there.
      const warned = (): boolean => origin.lines.some(l => l.includes('"event":"warning"') && l.includes('now answers with a different device key'))
      const deadline = Date.now() + 40_000
      let listed = ['b2']
      while (Date.now() < deadline) {
        listed = (await peers()).map(m => m.name)
        if (warned() && !listed.includes('b2')) break
        await new Promise(resolve => setTimeout(resolve, 1_000))
      }
      expect(warned(), origin.tail(20)).toBe(true)
      expect(listed).toEqual(['a1', 'b1'])
      // Still paired (it may be reinstalled, or the impostor may leave), listed offline with the reason.
      const list = await fx.cli(0, ['pair', '--list', '--json'])
      expect(list.code, list.stderr).toBe(0)
      const b2Listed = lastJson<Array<{ name: string; pairedAddress: string; online: boolean; problem?: string }>>(list.stdout).find(x => x.pairedAddress === `${fx.host(3).ip}:47620`)
      expect(b2Listed).toMatchObject({ name: 'b2', online: false })
      expect(b2Listed?.problem).toMatch(/now answers with a different device key/)
    } finally {
      await other.stop()
    }
  }, 120_000)
})
