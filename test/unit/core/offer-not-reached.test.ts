// An offer to a machine still listed but not answering (its agent just stopped or killed, a cable
// pulled): it waits like a machine off the network, with the reason, instead of counting as one
// that will not get the file, and is offered the file again once it is seen again. Two nodes on
// loopback, each knowing the other by address (no mDNS needed).
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loopbackNodes, until } from './loopback-nodes.js'

const { tmp, start, listing } = loopbackNodes('sd-notreached-')

describe('an offer that does not reach a machine still listed', () => {
  it('leaves it waiting with the reason, and offers the file again when it is seen again', async () => {
    const origin = await start('lab-origin')
    const recipientDir = tmp()
    const downloads = tmp()
    const first = await start('lab-01', { accept: 'all', downloadsDir: downloads }, { dataDir: recipientDir })
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
    const again = await start('lab-01', { accept: 'all', downloadsDir: downloads }, { dataDir: recipientDir })
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
