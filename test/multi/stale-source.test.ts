// A source file that changes after it was shared must not be served as the old distribution:
// after a restart the origin marks it stale, says why, and serves none of it.
import { appendFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { labFixture, lastJson } from './lab-fixture.js'
import { statusOn } from './status-json.js'

const fx = labFixture(3, 'stale')

describe('a source file changed after it was shared', () => {
  it('is marked stale after a restart and is not served', async () => {
    const origin = fx.agent(0, 'origin')
    const member = fx.agent(1, 'member')
    await origin.start()
    await member.start()
    const file = join(fx.work, 'image.iso')
    writeFileSync(file, randomBytes(1_000_000))
    const sent = await fx.cli(0, ['send', file, '--to', 'member', '--json'])
    expect(sent.code, sent.stderr).toBe(0)
    const { infoHash } = lastJson<{ infoHash: string }>(sent.stdout)
    await member.waitFor(e => e.event === 'verified', 30_000, 'the member to verify')

    await origin.stop()
    appendFileSync(file, 'edited after sharing')
    const o = await origin.start()
    await origin.waitFor(e => e.event === 'warning', 10_000, 'a warning about the changed source', 0)
    expect(origin.lines.some(x => x.includes('changed since it was shared'))).toBe(true)
    const d = (await statusOn(fx, 0)).distributions.find(x => x.infoHash === infoHash)
    expect(d?.state).toBe('stale')
    expect(d?.reason).toMatch(/changed since it was shared/)
    expect(d?.connections).toBeUndefined() // not in the engine: nothing of it is served

    // Even a peer with the .torrent gets nothing from the origin.
    const torrent = join(fx.work, 'd0', 'distributions', `${infoHash}.torrent`)
    const got = await fx.cli(2, ['get', torrent, '--peer', `${fx.host(0).ip}:${o.btPort}`, '--out', join(fx.work, 'out'), '--timeout', '5', '--json'])
    expect(got.code).toBe(1)
    // The changed file is a new distribution, offered under its own infohash.
    const again = await fx.cli(0, ['send', file, '--to', 'member', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(lastJson<{ infoHash: string }>(again.stdout).infoHash).not.toBe(infoHash)
  }, 90_000)
})
