// One device key on two machines, as a lab made from one disk image meets it: host 1 starts with
// a copy of host 0's identity.json (same id, another address, another name). Both devices say at
// once, on their consoles and in `status`, which other address answers for their id and what to
// do; a third machine lists the id once, with both addresses and why, instead of flapping between
// them, and refuses to send to it with that reason. Once the clone stops, the id is one machine
// again: the device says so, the third lists one address and a send to it is delivered.
// Before: the clone's mDNS probe printed a bare "Service name is already in use" Error into the
// agent's JSON output and it stayed unseen by everyone; nothing else was said anywhere.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { IdentityClash, Machine } from '../../common/api.js'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { peersOn } from './status-json.js'

const fx = labFixture(3, 'cloned')
let a: LabAgent
let b: LabAgent
let c: LabAgent
let id = ''

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const listing = (dir: string): string[] => existsSync(dir) ? readdirSync(dir) : []

/** Every line an agent printed on stdout that is not one of its JSON events (a stray Error, say). */
function strayLines (agent: LabAgent): string[] {
  return agent.lines.filter(l => l.startsWith('[out] ') && !l.startsWith('[out] {'))
}

function warnings (agent: LabAgent): string[] {
  return agent.lines.flatMap(line => {
    if (!line.startsWith('[out] {')) return []
    const o = JSON.parse(line.slice(6)) as { event?: unknown; message?: unknown }
    return o.event === 'warning' && typeof o.message === 'string' ? [o.message] : []
  })
}

async function until<T> (what: string, limitMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + limitMs
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`no ${what} within ${limitMs} ms`)
    await sleep(300)
  }
}

async function statusClash (i: number): Promise<IdentityClash | undefined> {
  const r = await fx.cli(i, ['status', '--json'])
  expect(r.code, r.stderr).toBe(0)
  return lastJson<{ identityClash?: IdentityClash }>(r.stdout).identityClash
}

beforeAll(async () => {
  a = fx.agent(0, 'lab-a')
  const listening = await a.start()
  id = listening.id
  // The clone is made after the original has announced itself: its probe at start finds it.
  await sleep(1_500)
  mkdirSync(join(fx.work, 'd1'), { recursive: true })
  copyFileSync(join(fx.work, 'd0', 'identity.json'), join(fx.work, 'd1', 'identity.json'))
  b = fx.agent(1, 'lab-b')
  expect((await b.start()).id).toBe(id)
  c = fx.agent(2, 'lab-c')
  await c.start()
}, 60_000)

describe('one identity on two machines', () => {
  it('each of the two says which other address answers for its id and what to do, on its console and in status', async () => {
    const [ipA, ipB] = [fx.host(0).ip, fx.host(1).ip]
    const onB = await until('warning on the clone', 10_000, () => warnings(b).find(m => m.includes(`at ${ipA}, answers for this device's id`)))
    expect(onB).toContain('move its')
    expect(onB).toContain(join(fx.work, 'd1', 'identity.json'))
    const onA = await until('warning on the original', 10_000, () => warnings(a).find(m => m.includes(`at ${ipB}, answers for this device's id`)))
    expect(onA).toContain('stop Swarmdrop on one of them')
    expect((await statusClash(0))?.addresses).toEqual([ipB])
    expect((await statusClash(1))?.addresses).toEqual([ipA])
    const text = await fx.cli(0, ['status'])
    expect(text.stdout.split('\n')[0]).toBe(`warning: ${onA}`)
    // No bare Error from the mDNS library in either agent's JSON output.
    expect(strayLines(a)).toEqual([])
    expect(strayLines(b)).toEqual([])
  }, 30_000)

  it('a third machine lists the id once with both addresses and why, without flapping, and refuses to send to it', async () => {
    const [ipA, ipB] = [fx.host(0).ip, fx.host(1).ip]
    const row = await until('the id listed with two addresses', 15_000, async () => (await peersOn(fx, 2)).find(m => m.id === id && m.twinAddresses !== undefined))
    expect(row.twinAddresses).toEqual([ipA, ipB].sort())
    expect(row.twinProblem).toContain(`answers from ${[ipA, ipB].sort().join(' and ')}`)
    // Listed once, at one address, the same each time it is asked.
    const seen: Machine[] = []
    for (let k = 0; k < 4; k++) {
      const list = (await peersOn(fx, 2)).filter(m => m.id === id)
      expect(list).toHaveLength(1)
      seen.push(list[0] as Machine)
      await sleep(1_500)
    }
    expect(new Set(seen.map(m => m.address)).size).toBe(1)
    // Came up once on the third machine, never down and up again.
    expect(c.lines.filter(l => l.includes('"event":"peer-up"') && l.includes(`"id":"${id}"`))).toHaveLength(1)
    expect(c.lines.filter(l => l.includes('"event":"peer-down"') && l.includes(`"id":"${id}"`))).toHaveLength(0)
    const text = await fx.cli(2, ['peers'])
    expect(text.stdout).toContain('2 machines hold this id')
    expect(text.stdout).toContain(`  ! ${row.name} (${row.fingerprint}) answers from`)

    const file = join(fx.work, 'one.bin')
    writeFileSync(file, Buffer.alloc(256 * 1024, 5))
    const sent = await fx.cli(2, ['send', file, '--to', id.slice(0, 8), '--wait', '--timeout', '10'])
    expect(sent.code).toBe(2)
    expect(sent.stderr).toContain('each holding its device key: two machines share one identity')
    // --all leaves it out and says why; with no other machine on the network, nothing is sent.
    const all = await fx.cli(2, ['send', file, '--all', '--listen', '2'])
    expect(all.stderr).toContain(`send: not sent to ${row.name}: ${row.twinProblem ?? ''}`)
    expect(all.stderr).toContain('no machines found on the network')
    await sleep(1_000)
    expect(listing(join(fx.work, 'dl0'))).toEqual([])
    expect(listing(join(fx.work, 'dl1'))).toEqual([])
  }, 60_000)

  it('once the clone stops, the device says so, the third lists one address and a send is delivered', async () => {
    await b.stop()
    await until('the original told the clash is over', 20_000, () => warnings(a).find(m => m.startsWith('No other machine answers for this device\'s id')))
    expect(await statusClash(0)).toBeUndefined()
    const row = await until('the id listed at one address', 25_000, async () => (await peersOn(fx, 2)).find(m => m.id === id && m.twinAddresses === undefined))
    expect(row.address).toBe(fx.host(0).ip)
    const file = join(fx.work, 'two.bin')
    writeFileSync(file, Buffer.alloc(256 * 1024, 6))
    const from = a.events.length
    const sent = await fx.cli(2, ['send', file, '--to', id.slice(0, 8), '--wait', '--timeout', '20'])
    expect(sent.code, sent.stderr).toBe(0)
    await a.waitFor(e => isVerified(e) && e.name === 'two.bin', 10_000, 'two.bin verified on the original', from)
  }, 60_000)
})
