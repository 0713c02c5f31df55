// A machine whose address changes while its agent runs (a DHCP lease renewed to another address,
// Wi-Fi to cable): the others list it at its new address within one query round and a check of the
// old address, and a file sent to it there arrives. Discovery keeps a listed machine at its address
// while that address still answers (two machines can hold one key), so before the old address was
// asked directly, a machine that moved was followed only when its old address expired, 16 s on;
// and the machine itself took its own adverts from its new address for a second machine's.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { labHostIp } from '../lab/netns-lab.js'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

/** One query round (5 s and its jitter), the old address's check (1.5 s), and a margin; not the 16 s expiry. */
const FOLLOW_LIMIT_MS = 10_000

interface PeerLine { readonly name: string; readonly address: string }

const fx = labFixture(2, 'readdr')
const agents: LabAgent[] = []

beforeAll(async () => {
  agents.push(fx.agent(0, 'readdr-0', 'all'), fx.agent(1, 'readdr-1', 'all'))
  for (const a of agents) await a.start()
}, 60_000)

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

describe('a machine whose address changes while it runs', () => {
  it('is listed at its new address within seconds, and a file sent to it there arrives', async () => {
    const moved = fx.host(1)
    await until('readdr-1 listed', 15_000, async () => (await addressSeenBy0('readdr-1')) === moved.ip)
    const newIp = labHostIp(200, moved.subnet)
    // The new lease first, then the old one gone, the interface keeping its routes (mDNS's among
    // them), as a network manager renumbering does: without promote_secondaries the kernel would
    // drop the new address with the old one.
    const steps: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['sysctl', ['-qw', `net.ipv4.conf.${moved.veth}.promote_secondaries=1`]],
      ['ip', ['addr', 'add', `${newIp}/24`, 'dev', moved.veth]],
      ['ip', ['addr', 'del', `${moved.ip}/24`, 'dev', moved.veth]]
    ]
    for (const [command, args] of steps) {
      const r = await fx.lab.run(moved, command, args, { timeoutMs: 5_000 })
      expect(r.code, `${command} ${args.join(' ')}: ${r.stderr}`).toBe(0)
    }
    const now = await fx.lab.run(moved, 'ip', ['-o', '-4', 'addr', 'show', 'dev', moved.veth], { timeoutMs: 5_000 })
    expect(now.stdout).toContain(`inet ${newIp}/24`)
    expect(now.stdout).not.toContain(`inet ${moved.ip}/`)
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
})
