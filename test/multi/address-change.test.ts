// A machine whose address changes while its agent runs (a DHCP lease renewed to another address,
// Wi-Fi to cable): the others list it at its new address within seconds, and a file sent to it
// there arrives; moved in the middle of a transfer, as the recipient or as the sender, bytes flow
// again within seconds and the copy is intact.
// Before: discovery keeps a listed machine at its address while that address still answers (two
// machines can hold one key), so a machine that moved was followed only when its old address
// expired, 16 s on, and it took its own adverts from its new address for a second machine's; and
// the connections made from the old address sat dead until their timeouts, about 30 s.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { labHostIp } from '../lab/netns-lab.js'
import { isProgress, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { renumber } from './renumber.js'

/** One query round (5 s and its jitter), the old address's check (1.5 s), and a margin; not the 16 s expiry. */
const FOLLOW_LIMIT_MS = 10_000

/**
 * The moved machine's connections closed within a second, dialled again a second later, proven,
 * and 2 MiB at 40 Mbit/s (0.4 s); not the 30 s a dead connection's timeout takes.
 */
const FLOWING_AGAIN_MS = 10_000

interface PeerLine { readonly name: string; readonly address: string }

const MiB = 1024 * 1024
// Host 2's download is capped so that its file takes long enough to move it in the middle.
const fx = labFixture([{}, {}, { downMbit: 40 }], 'readdr')
const agents: LabAgent[] = []

beforeAll(async () => {
  agents.push(fx.agent(0, 'readdr-0', 'all'), fx.agent(1, 'readdr-1', 'all'), fx.agent(2, 'readdr-2', 'all'))
  for (const a of agents) await a.start()
}, 60_000)

/** Gives host `i` `newIp` and takes its old address away (renumber.ts). */
async function renumberHost (i: number, newIp: string): Promise<void> { await renumber(fx.lab, fx.host(i), newIp) }

async function addressSeenBy0 (name: string): Promise<string | undefined> {
  const r = await fx.cli(0, ['peers', '--json'], 10_000)
  if (r.code !== 0) throw new Error(`peers failed (${String(r.code)}): ${r.stderr}`)
  return lastJson<PeerLine[]>(r.stdout).find(p => p.name === name)?.address
}

async function until (what: string, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${what}: not within ${limitMs} ms`)
}

/**
 * Sends 40 MiB of `name` from host 0 to readdr-2 (its download capped), gives host `moved` the
 * address `newIp` once 8 MiB are verified, and requires bytes flowing again (2 MiB more verified)
 * within FLOWING_AGAIN_MS, not after the dead connections' timeouts, and the copy intact.
 */
async function moveMidTransfer (name: string, moved: number, newIp: string): Promise<void> {
  const r2 = agents[2] as LabAgent
  const data = randomBytes(40 * MiB)
  const want = createHash('sha256').update(data).digest('hex')
  const file = join(fx.work, name)
  writeFileSync(file, data)
  const from = r2.events.length
  const sent = await fx.cli(0, ['send', file, '--to', 'readdr-2', '--json'], 60_000)
  expect(sent.code, sent.stderr).toBe(0)
  await r2.waitFor(e => isProgress(e) && e.name === name && e.verifiedBytes > 8 * MiB, 30_000, 'readdr-2 past 8 MiB', from)
  const movedAt = Date.now()
  await renumberHost(moved, newIp)
  const atMove = r2.events.length
  const had = Math.max(...r2.events.filter(e => isProgress(e) && e.name === name).map(e => isProgress(e) ? e.verifiedBytes : 0))
  await r2.waitFor(e => isProgress(e) && e.name === name && e.verifiedBytes >= had + 2 * MiB, 60_000, 'bytes again after the move', atMove)
  const flowingMs = Date.now() - movedAt
  const done = await r2.waitFor(e => isVerified(e) && e.name === name, 60_000, 'verified after the move', from)
  console.log(`host ${moved} moved mid-transfer at ${(had / MiB).toFixed(1)} MiB: 2 MiB more after ${flowingMs} ms, verified ${Date.now() - movedAt} ms after the address changed`)
  expect(flowingMs).toBeLessThan(FLOWING_AGAIN_MS)
  expect(isVerified(done) ? done.sha256 : '').toBe(want)
  expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl2', name))).digest('hex')).toBe(want)
  // Its first dial from the new address, before the other side admitted it, is no impostor.
  const status = await fx.cli(2, ['status', '--json'], 10_000)
  const shown = lastJson<{ distributions: Array<{ name: string; impostors?: unknown[] }> }>(status.stdout).distributions.find(d => d.name === name)
  expect(shown?.impostors ?? []).toEqual([])
}

describe('a machine whose address changes while it runs', () => {
  it('is listed at its new address within seconds, and a file sent to it there arrives', async () => {
    const moved = fx.host(1)
    await until('readdr-1 listed', 15_000, async () => (await addressSeenBy0('readdr-1')) === moved.ip)
    const newIp = labHostIp(200, moved.subnet)
    await renumberHost(1, newIp)
    const followedMs = await until('readdr-1 at its new address', 20_000, async () => (await addressSeenBy0('readdr-1')) === newIp)
    console.log(`address change: listed at ${newIp} after ${followedMs} ms`)
    expect(followedMs).toBeLessThan(FOLLOW_LIMIT_MS)
    // Its own adverts from its new address are its own, not a second machine holding its key.
    expect((agents[1]?.lines ?? []).filter(l => l.includes('answers for this device'))).toEqual([])

    const file = join(fx.work, 'after-move.bin')
    writeFileSync(file, randomBytes(2 * 1024 * 1024))
    const from = agents[1]?.events.length ?? 0
    const sent = await fx.cli(0, ['send', file, '--to', 'readdr-1', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    await agents[1]?.waitFor(e => isVerified(e) && e.name === 'after-move.bin', 30_000, 'verified at the new address', from)
  }, 90_000)

  it('in the middle of receiving a file: the download goes on from its new address and the copy is intact', async () => {
    await moveMidTransfer('moving.bin', 2, labHostIp(201, fx.host(2).subnet))
    // The machine that moved says on its console what it closed.
    expect((agents[2]?.lines ?? []).some(l => l.includes('this machine no longer has the address'))).toBe(true)
  }, 120_000)

  it('the sender, in the middle of sending: the download goes on from the sender\'s new address and the copy is intact', async () => {
    await moveMidTransfer('sender-moves.bin', 0, labHostIp(202, fx.host(0).subnet))
  }, 120_000)
})
