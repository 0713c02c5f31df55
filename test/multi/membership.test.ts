// Only the swarm's members exchange pieces: a machine that was not offered the distribution, but
// knows its infohash (it has the .torrent) and the members' BitTorrent ports, gets nothing from
// the origin nor from a recipient, and the members log the refusal.
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const fx = labFixture(3, 'member')

describe('swarm membership', () => {
  it('refuses a non-member that knows the infohash and the ports, at the origin and at a recipient', async () => {
    const origin = fx.agent(0, 'origin')
    const member = fx.agent(1, 'member')
    const outsider = fx.host(2)
    const o = await origin.start()
    const m = await member.start()
    const file = join(fx.work, 'secret.bin')
    const data = randomBytes(2 * 1024 * 1024)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'member', '--json'])
    expect(sent.code, sent.stderr).toBe(0)
    const { infoHash } = lastJson<{ infoHash: string }>(sent.stdout)
    await member.waitFor(e => e.event === 'verified', 30_000, 'the member to verify')
    expect(readFileSync(join(fx.work, 'dl1', 'secret.bin')).equals(data)).toBe(true)

    // The outsider has the .torrent (as if it had leaked) and dials both members directly.
    const torrent = join(fx.work, 'd0', 'distributions', `${infoHash}.torrent`)
    const got = await fx.cli(2, ['get', torrent, '--peer', `${fx.host(0).ip}:${o.btPort}`, '--peer', `${fx.host(1).ip}:${m.btPort}`, '--out', join(fx.work, 'out'), '--timeout', '8', '--json'])
    expect(got.code).toBe(1)
    const progress = got.stdout.trim().split('\n').map(x => JSON.parse(x) as { event: string; verifiedBytes?: number })
    expect(Math.max(0, ...progress.map(p => p.verifiedBytes ?? 0))).toBe(0)
    expect(existsSync(join(fx.work, 'out', 'secret.bin'))).toBe(false)
    const leftovers = existsSync(join(fx.work, 'out')) ? readdirSync(join(fx.work, 'out')) : []
    for (const f of leftovers) expect(readFileSync(join(fx.work, 'out', f)).some(b => b !== 0)).toBe(false)
    const refusedBy = (a: LabAgent): boolean => a.lines.some(x => x.includes('"event":"non-member-refused"') && x.includes(outsider.ip))
    expect(refusedBy(origin)).toBe(true)
    expect(refusedBy(member)).toBe(true)
  }, 90_000)
})
