// An offer to a machine still listed but not answering (its agent just stopped or killed, a cable
// pulled): it waits like a machine off the network, with the reason, instead of counting as one
// that will not get the file, and is offered the file again once it is seen again. Two nodes on
// loopback, each knowing the other by address (no mDNS needed).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Peer } from '../../../main/core/discovery/peer-info.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-notreached-')); dirs.push(d); return d }
const nodes: SwarmNode[] = []

async function start (name: string, dataDir: string, overrides: Record<string, unknown> = {}): Promise<SwarmNode> {
  const r = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0, name, ...overrides }, anyPortIfTaken: true })
  if (!r.ok) throw new Error(r.error.message)
  nodes.push(r.value)
  return r.value
}

async function until (what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const listing = (n: SwarmNode, name: string): Peer => ({ id: n.identity.id, name, platform: 'linux', version: 'test', controlPort: n.controlPort, btPort: n.engine.port, address: '127.0.0.1', lastSeen: Date.now() })

afterAll(async () => {
  for (const n of nodes) await n.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('an offer that does not reach a machine still listed', () => {
  it('leaves it waiting with the reason, and offers the file again when it is seen again', async () => {
    const origin = await start('lab-origin', tmp())
    const recipientDir = tmp()
    const downloads = tmp()
    const first = await start('lab-01', recipientDir, { accept: 'all', downloadsDir: downloads })
    const id = first.identity.id
    origin.discovery.setDirect(listing(first, 'lab-01'))
    // Its agent stops: still listed here (its address answers nothing now).
    await first.stop()

    const data = randomBytes(300_000)
    const path = join(tmp(), 'late.iso')
    writeFileSync(path, data)
    const created = await origin.createDistribution(path)
    if (!created.ok) throw new Error(created.error.message)
    const ih = created.value.infoHash
    const offered = await origin.offer(ih, [id])
    if (!offered.ok) throw new Error(offered.error.message)
    expect(offered.value.map(r => r.state)).toEqual(['waiting'])
    expect(offered.value[0]?.reason).toMatch(/^not reached now \(.+\); offered again when it is back$/)

    // Back, on other ports: seen again, offered again, verified.
    const again = await start('lab-01', recipientDir, { accept: 'all', downloadsDir: downloads })
    expect(again.identity.id).toBe(id)
    origin.discovery.dropDirect(id)
    origin.discovery.setDirect(listing(again, 'lab-01'))
    again.discovery.setDirect(listing(origin, 'lab-origin'))
    const row = (): string | undefined => {
      const r = origin.registry.get(ih)
      return r?.role === 'origin' ? r.recipients.find(x => x.id === id)?.state : undefined
    }
    await until('lab-01 verified', () => row() === 'verified', 30_000)
    expect(readFileSync(join(downloads, 'late.iso')).equals(data)).toBe(true)
  }, 60_000)
})
