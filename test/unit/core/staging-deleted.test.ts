// A download whose staging data (NAME.part) is deleted while it arrives (its downloads folder
// removed by a person or a cleanup job): it stops within seconds with the reason, instead of
// fetching the rest into the deleted file and failing at the final check; the sender reads the
// reason on its row; its journal goes with it, so a new send starts over and ends verified. An
// origin and a recipient on loopback, each knowing the other by address (no mDNS needed).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loopbackNodes, until } from './loopback-nodes.js'

const MiB = 1024 * 1024
const { tmp, start, pair } = loopbackNodes('sd-staging-')

describe('a download whose staging data is deleted while it arrives', () => {
  it('stops within seconds with the reason, tells the sender, and starts over when sent again', async () => {
    // 2 MiB/s from the origin: 16 MiB takes about 8 s, so the deletion lands mid-way.
    const origin = await start('lab-origin', { uploadLimit: 2 * MiB })
    const downloads = join(tmp(), 'Swarmdrop')
    const recipient = await start('lab-01', { accept: 'all', downloadsDir: downloads })
    pair(origin, 'lab-origin', recipient, 'lab-01')
    const data = randomBytes(16 * MiB)
    const path = join(tmp(), 'tidy.iso')
    writeFileSync(path, data)
    const created = await origin.createDistribution(path)
    if (!created.ok) throw new Error(created.error.message)
    const ih = created.value.infoHash
    const offered = await origin.offer(ih, [recipient.identity.id])
    expect(offered.ok && offered.value.map(r => r.state)).toEqual(['accepted'])
    await until('a download under way', () => (recipient.engine.stats(ih)?.verifiedBytes ?? 0) > 2 * MiB)
    expect(existsSync(join(downloads, 'tidy.iso.part'))).toBe(true)

    rmSync(downloads, { recursive: true, force: true })
    const tookMs = await until('the download stopped', () => recipient.registry.get(ih)?.state === 'failed', 5_000)
    const reason = `tidy.iso.part was deleted from ${downloads} while it was arriving; the download stopped (a new send starts it over)`
    expect(recipient.registry.get(ih)?.reason).toBe(reason)
    // Stopped before the rest was fetched into the deleted file.
    expect(recipient.engine.has(ih)).toBe(false)
    expect(recipient.engine.stats(ih)).toBeUndefined()
    console.log(`stopped ${tookMs} ms after the folder was deleted`)
    // Its journal went with the data: no piece of it counts as held any more.
    expect(['bitfield', 'journal', 'begun'].filter(x => existsSync(join(recipient.dataDir, 'distributions', `${ih}.${x}`)))).toEqual([])
    const originRow = (): { state: string; reason?: string } | undefined => {
      const r = origin.registry.get(ih)
      return r?.role === 'origin' ? r.recipients.find(x => x.id === recipient.identity.id) : undefined
    }
    await until('the sender told', () => originRow()?.state === 'failed')
    expect(originRow()?.reason).toBe(reason)

    // Sent again: it starts over and ends with the sender's bytes.
    const again = await origin.offer(ih, [recipient.identity.id])
    expect(again.ok && again.value.map(r => r.state)).toEqual(['accepted'])
    await until('verified', () => recipient.registry.get(ih)?.state === 'verified', 30_000)
    expect(readFileSync(join(downloads, 'tidy.iso')).equals(data)).toBe(true)
  }, 60_000)
})
