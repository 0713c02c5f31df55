// Members are proven by key on the BitTorrent wire, not by address. A swarm of an origin and two
// recipients completes with every link carrying the proven device id of the member at its other
// end. Then recipient B's agent stops and a plain BitTorrent client (libtorrent) takes over B's
// address and B's BitTorrent port with the leaked .torrent: it dials the origin, and recipient C
// dials it as B. Both close it before a single piece moves and report an impostor, once (an
// `impostor-refused` event; the origin's state shows it on the distribution).
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { libtorrentAvailable, startLibtorrentPeer, type LibtorrentPeer } from '../interop/libtorrent-peer.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import type { Connection } from '../../common/api.js'
import type { AgentEventLine } from '../../common/cli-json.js'
import { statusOn } from './status-json.js'

const fx = labFixture(3, 'proof')
let impostor: LibtorrentPeer | undefined

beforeAll(async () => {
  const lt = await libtorrentAvailable()
  if (!lt.ok) throw new Error(lt.error.message)
})
afterAll(async () => { await impostor?.stop() })

type PeerView = Connection

/** The peers an agent's engine has on a distribution now (`swarmdrop status --json`). */
async function peersOf (i: number, infoHash: string): Promise<readonly PeerView[]> {
  return (await statusOn(fx, i)).distributions.find(d => d.infoHash === infoHash)?.connections ?? []
}

/** The IPv4 address of a peer's "ip:port" (a dual-stack listener sees IPv4 as ::ffff:a.b.c.d). */
const hostOf = (address: string): string => address.slice(0, address.lastIndexOf(':')).replace(/^::ffff:/, '')

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

type ImpostorLine = Extract<AgentEventLine, { event: 'impostor-refused' }>

/** The agent's `impostor-refused` events (its --json log lines, kept with a stream prefix, as the contract's AgentEventLine) for `address`. */
function impostorEvents (a: LabAgent, address: string): ImpostorLine[] {
  return a.lines.filter(x => x.includes('"event":"impostor-refused"'))
    .map(x => JSON.parse(x.slice(x.indexOf('{'))) as ImpostorLine)
    .filter(e => e.address === address)
}

describe('members proven by key on the BitTorrent wire', () => {
  it('proves every member link, then closes a plain client that took over a member\'s address', async () => {
    const [o, b, c] = [fx.agent(0, 'origin'), fx.agent(1, 'bee'), fx.agent(2, 'cee')]
    const started = { o: await o.start(), b: await b.start(), c: await c.start() }
    const ids = new Map([[fx.host(0).ip, started.o.id], [fx.host(1).ip, started.b.id], [fx.host(2).ip, started.c.id]])
    const file = join(fx.work, 'image.bin')
    writeFileSync(file, randomBytes(24 * 1024 * 1024))
    const sent = await fx.cli(0, ['send', file, '--to', 'bee,cee', '--json'])
    expect(sent.code, sent.stderr).toBe(0)
    const { infoHash } = lastJson<{ infoHash: string }>(sent.stdout)
    await Promise.all([b, c].map(async a => await a.waitFor(e => e.event === 'verified', 60_000, `${a.name} to verify`)))

    // Every link of the full mesh is up with the proven id of the member listed at its address.
    for (let i = 0; i < 3; i++) {
      let peers: readonly PeerView[] = []
      for (let tries = 0; tries < 20; tries++) {
        peers = await peersOf(i, infoHash)
        if (new Set(peers.map(p => hostOf(p.address))).size === 2) break
        await sleep(500)
      }
      const others = [0, 1, 2].filter(j => j !== i).map(j => fx.host(j).ip).sort()
      expect([...new Set(peers.map(p => hostOf(p.address)))].sort()).toEqual(others)
      for (const p of peers) expect(p.member, `${p.address} at host ${i}`).toBe(ids.get(hostOf(p.address)))
    }
    for (const a of [o, b, c]) expect(a.lines.filter(x => x.includes('impostor-refused') || x.includes('did not prove the key'))).toEqual([])

    // B goes away; a plain client takes its address and port, with the .torrent that leaked.
    await b.stop()
    const bee = fx.host(1)
    const outDir = join(fx.work, 'impostor')
    mkdirSync(outDir)
    const lt = await startLibtorrentPeer({
      mode: 'get',
      torrent: join(fx.work, 'd0', 'distributions', `${infoHash}.torrent`),
      savePath: outDir,
      listen: `${bee.ip}:${started.b.btPort}`,
      peers: [`${fx.host(0).ip}:${started.o.btPort}`],
      redialSeconds: 1,
      timeoutSeconds: 60,
      commandPrefix: ['ip', 'netns', 'exec', bee.ns]
    })
    if (!lt.ok) throw new Error(lt.error.message)
    impostor = lt.value
    const until = Date.now() + 20_000
    while (Date.now() < until && (impostorEvents(o, bee.ip).length === 0 || impostorEvents(c, bee.ip).length === 0)) await sleep(250)
    // Several more seconds of redialling: still nothing, and no further report.
    await sleep(6_000)
    const progress = impostor.lastProgress
    expect(impostor.events.some(e => e.event === 'done')).toBe(false)
    expect(progress?.downloaded ?? 0).toBe(0)
    expect(progress?.have ?? 0).toBe(0)
    expect(impostorEvents(o, bee.ip)).toHaveLength(1)
    expect(impostorEvents(o, bee.ip)[0]).toMatchObject({ event: 'impostor-refused', infoHash, address: bee.ip, claimedId: null })
    expect(impostorEvents(o, bee.ip)[0]?.reason).toContain('does not offer the Swarmdrop member proof')
    // Not a generic warning any more, and the origin's UI state carries it as a notice on that distribution.
    expect(o.lines.filter(x => x.includes('"event":"warning"') && x.includes(bee.ip))).toEqual([])
    const notices = (await statusOn(fx, 0)).distributions.find(d => d.infoHash === infoHash)?.impostors ?? []
    expect(notices.map(n => n.address)).toEqual([bee.ip])
    // C dials the members listed before it, B included: it reached the impostor and closed it too.
    expect(impostorEvents(c, bee.ip)).toHaveLength(1)
    // The origin and C still hold their proven link.
    expect((await peersOf(0, infoHash)).map(p => p.member)).toEqual([started.c.id])
  }, 180_000)
})
