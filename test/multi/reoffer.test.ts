// Offers for a file the recipient already holds, and floods of offers waiting for a person (issue
// 11, findings 1 and 2). Another device that has only the .torrent offers the same info-hash with
// itself as the swarm: the recipient must not answer "accepted" without its person, must keep its
// members, and must go on with its real sender. The real sender's re-send follows the accept policy
// too (asked under `ask`) and then completes at once ("already had it"). Offers that wait for a
// person are bounded per sender.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDistribution } from '../../main/core/distributions/create.js'
import { loadOrCreateIdentity, type Identity } from '../../main/core/identity/identity.js'
import { PROTOCOL } from '../../main/core/protocol/messages.js'
import { signOffer, type UnsignedOffer } from '../../main/core/protocol/offer-signature.js'
import type { Metainfo } from '../../main/core/torrent/metainfo.js'
import { parseTorrentFile } from '../../main/core/torrent/metainfo.js'
import { isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import type { MemberRow } from '../../common/api.js'
import { statusOn, type StatusJson } from './status-json.js'
import { postOffer } from './peer-post.js'

const fx = labFixture([{ name: 'origin' }, { name: 'victim' }, { name: 'attacker' }], 'reoffer')
let origin: LabAgent
let victim: LabAgent
let victimId = ''
let victimPort = 0
let originId = ''
let attacker: Identity

type Row = MemberRow

async function status (i: number): Promise<StatusJson> {
  return statusOn(fx, i, 15_000)
}

async function waitingOffers (): Promise<Array<{ offerId: string; name: string }>> {
  const r = await fx.cli(1, ['offers', '--json'], 15_000)
  if (r.code !== 0) throw new Error(`offers failed: ${r.stderr}`)
  return lastJson<Array<{ offerId: string; name: string }>>(r.stdout)
}

/** An offer of `m` signed by the attacker, listing `members`, posted from the attacker's host. */
async function attackerOffers (m: Metainfo, sha256: string, offerId: string, members: UnsignedOffer['members']): Promise<{ status: number; decision?: string; reason?: string }> {
  const unsigned: UnsignedOffer = {
    protocol: PROTOCOL,
    offerId,
    sender: { id: attacker.id, name: 'origin', publicKey: attacker.publicKeyPem, controlPort: 47620, btPort: 47621 },
    infoHash: m.infoHash,
    name: m.name,
    totalLength: m.totalLength,
    sha256,
    files: m.files.map(f => ({ path: f.path.join('/'), length: f.length })),
    torrent: m.torrentFile.toString('base64'),
    members,
    createdAt: new Date().toISOString()
  }
  const r = await postOffer(fx, 2, join(fx.work, 'attacker'), { id: victimId, address: fx.host(1).ip, controlPort: victimPort }, JSON.stringify(signOffer(attacker, unsigned)))
  const body = r.body as { decision?: string; reason?: string }
  return { status: r.status, ...(body.decision ? { decision: body.decision } : {}), ...(body.reason ? { reason: body.reason } : {}) }
}

beforeAll(async () => {
  origin = fx.agent(0, 'origin')
  originId = (await origin.start()).id
  victim = fx.agent(1, 'victim', 'ask')
  const v = await victim.start()
  victimId = v.id
  victimPort = v.controlPort
  const made = await loadOrCreateIdentity(join(fx.work, 'attacker'))
  if (!made.ok) throw new Error(made.error.message)
  attacker = made.value
}, 60_000)

describe('offers of a held file, and floods of waiting offers', () => {
  let infoHash = ''
  let file = ''

  it('a device with only the .torrent cannot take over a held distribution', async () => {
    file = join(fx.work, 'image.bin')
    const data = randomBytes(2 * 1024 * 1024)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'victim', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash
    const [waiting] = await waitingOffers()
    if (!waiting) throw new Error('the offer did not wait for the person')
    expect((await fx.cli(1, ['accept', waiting.offerId], 30_000)).code).toBe(0)
    await victim.waitFor(e => isVerified(e) && e.name === 'image.bin', 30_000, 'the victim to verify', 0)

    // The attacker read the .torrent (as any local user could) and offers the same info-hash.
    const torrent = parseTorrentFile(readFileSync(join(fx.work, 'd0', 'distributions', `${infoHash}.torrent`)))
    if (!torrent.ok) throw new Error(torrent.error.message)
    const sha256 = lastJson<{ sha256: string }>(sent.stdout).sha256
    const me = { id: attacker.id, name: 'origin', address: null, btPort: 47621 }
    const withVictim = await attackerOffers(torrent.value, sha256, 'take-over-1', [me, { id: victimId, name: 'victim', address: fx.host(1).ip, btPort: 47621 }])
    expect(withVictim.decision).toBe('declined')
    expect(withVictim.reason).toMatch(/only that device can offer it again/)
    const alone = await attackerOffers(torrent.value, sha256, 'take-over-2', [me])
    expect(alone.decision).not.toBe('accepted')
    // Nothing waits for the person, and the swarm is still the real sender's.
    expect(await waitingOffers()).toEqual([])
    const there = (await status(1)).distributions.find(d => d.infoHash === infoHash)
    expect(there?.members.map(m => m.id).sort()).toEqual([originId, victimId].sort())
  }, 90_000)

  it('the real sender\'s re-send asks the person too, then completes at once: already had it', async () => {
    const sent = await fx.cli(0, ['send', file, '--to', 'victim', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const waiting = await waitingOffers()
    expect(waiting.map(o => o.name)).toEqual(['image.bin'])
    const accepted = Date.now()
    expect((await fx.cli(1, ['accept', waiting[0]?.offerId ?? ''], 30_000)).code).toBe(0)
    let row: Row | undefined
    while (Date.now() - accepted < 10_000) {
      row = (await status(0)).distributions.find(d => d.infoHash === infoHash)?.members.find(m => m.id === victimId)
      if (row?.state === 'verified') break
      await new Promise(r => setTimeout(r, 300))
    }
    expect(row).toMatchObject({ state: 'verified', alreadyHad: true })
  }, 60_000)

  it('offers waiting for a person are bounded per sender; the refusal is logged once', async () => {
    const refusedFrom = victim.events.length
    const outcomes: string[] = []
    for (let i = 0; i < 10; i++) {
      const f = join(fx.work, `flood-${i}.bin`)
      writeFileSync(f, randomBytes(4096))
      const made = await createDistribution(f, { createdBy: 'test' })
      if (!made.ok) throw new Error(made.error.message)
      const r = await attackerOffers(made.value.metainfo, made.value.sha256, `flood-${i}`, [
        { id: attacker.id, name: 'origin', address: null, btPort: 47621 },
        { id: victimId, name: 'victim', address: fx.host(1).ip, btPort: 47621 }
      ])
      outcomes.push(r.decision ?? `status ${r.status}`)
    }
    expect(outcomes).toEqual([...new Array(8).fill('pending'), 'declined', 'declined'])
    expect((await waitingOffers()).length).toBe(8)
    const warnings = victim.tail(400).split('\n').slice(0).filter(l => l.includes('offer refused') && l.includes('8 offers from this device'))
    expect(warnings.length).toBe(1)
    expect(refusedFrom).toBeGreaterThan(0)
    // The real sender is not crowded out by the attacker's flood.
    const other = join(fx.work, 'after-flood.bin')
    writeFileSync(other, createHash('sha256').update('x').digest())
    expect((await fx.cli(0, ['send', other, '--to', 'victim', '--json'], 30_000)).code).toBe(0)
    expect((await waitingOffers()).some(o => o.name === 'after-flood.bin')).toBe(true)
  }, 120_000)
})
