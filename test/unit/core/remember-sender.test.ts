// Finding 6 of issue 11: a sender was remembered (known-devices.json rewritten whole, name-clash
// warning printed) before its offer was validated, so a fresh key per request grew the file without
// bound. Now only a sender whose offer is valid and taken or shown is remembered; the list is
// bounded (least recently seen dropped first, trusted devices never) and written coalesced.
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { requestPeer } from '../../../main/core/control/peer-client.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import { KNOWN_DEVICES_FILE, KnownDevices } from '../../../main/core/identity/known-devices.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { PROTOCOL } from '../../../main/core/protocol/messages.js'
import { signOffer, type UnsignedOffer } from '../../../main/core/protocol/offer-signature.js'
import { deviceCredentials } from '../../../main/core/tls/device-certificate.js'
import { buildTorrent } from '../../../main/core/torrent/metainfo.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-remember-')); dirs.push(d); return d }
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/** A fresh device key, in memory: what an attacker makes per request. */
function freshIdentity (): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}

const SHA = 'a'.repeat(64)
const built = buildTorrent({ name: 'x.bin', isFolder: false, files: [{ path: ['x.bin'], length: 10, sha256: SHA }], pieceLength: 16384, pieceHashes: Buffer.alloc(20), createdBy: 'test' })
if (!built.ok) throw new Error(built.error.message)
const torrent = built.value

function offerFrom (who: Identity, name: string, members: readonly string[], torrentB64 = torrent.torrentFile.toString('base64')): Record<string, unknown> {
  const unsigned: UnsignedOffer = {
    protocol: PROTOCOL,
    offerId: `o-${who.id.slice(0, 8)}`,
    sender: { id: who.id, name, publicKey: who.publicKeyPem, controlPort: 47620, btPort: 47621 },
    infoHash: torrent.infoHash,
    name: 'x.bin',
    totalLength: 10,
    sha256: SHA,
    files: [{ path: 'x.bin', length: 10 }],
    torrent: torrentB64,
    members: [{ id: who.id, name, address: null, btPort: 47621 }, ...members.map(id => ({ id, name: 'victim', address: '127.0.0.1', btPort: 47621 }))],
    createdAt: new Date().toISOString()
  }
  return { ...signOffer(who, unsigned) }
}

/** Sends `count` offers, each from a fresh key, a few at a time; answers their HTTP statuses. */
async function flood (node: SwarmNode, count: number, make: (who: Identity) => Record<string, unknown>): Promise<number[]> {
  const statuses: number[] = []
  const one = async (): Promise<void> => {
    const who = freshIdentity()
    const r = await requestPeer(deviceCredentials(who), { id: node.identity.id, name: 'victim', address: '127.0.0.1', controlPort: node.controlPort }, 'POST', '/v1/offers', make(who))
    statuses.push(r.ok ? r.value.status : 0)
  }
  for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, one))
  return statuses
}

describe('remembering senders', () => {
  it('500 offers from fresh keys with invalid torrents, and 100 valid ones for someone else, leave known-devices.json as it was', async () => {
    const dataDir = tmp()
    const started = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0, accept: 'ask' }, anyPortIfTaken: true })
    if (!started.ok) throw new Error(started.error.message)
    const node = started.value
    const warnings: string[] = []
    node.on('warning', m => warnings.push(m))
    const path = join(dataDir, KNOWN_DEVICES_FILE)
    try {
      // A device met before, whose name the attacker borrows.
      const lab07 = freshIdentity()
      await node.known.remember(rawPublicKey(lab07.publicKey), 'lab-07')
      await node.known.flush()
      const before = readFileSync(path)

      const invalid = await flood(node, 500, who => offerFrom(who, 'lab-07', [node.identity.id], Buffer.from('not a torrent').toString('base64')))
      expect(new Set(invalid)).toEqual(new Set([400]))
      const unmembered = await flood(node, 100, who => offerFrom(who, 'lab-07', [freshIdentity().id]))
      expect(new Set(unmembered)).toEqual(new Set([400]))
      await node.known.flush()
      expect(readFileSync(path).equals(before)).toBe(true)
      expect(node.known.list()).toHaveLength(1)
      expect(warnings.filter(w => w.includes('may be an impostor'))).toEqual([])
      // 600 refusals of one cause from one address: one line in the log, not 600.
      expect(warnings.filter(w => w.startsWith('refused an offer from 127.0.0.1 (400 bad-request)'))).toHaveLength(1)

      // A valid offer for this device, shown to its person (ask): now the sender is remembered and
      // its borrowed name flagged.
      const shown = await flood(node, 1, who => offerFrom(who, 'lab-07', [node.identity.id]))
      expect(shown).toEqual([200])
      expect(node.status().offers).toHaveLength(1)
      expect(node.known.list()).toHaveLength(2)
      expect(warnings.filter(w => w.includes('may be an impostor'))).toHaveLength(1)
    } finally {
      await node.stop()
    }
    expect((JSON.parse(readFileSync(path, 'utf8')) as unknown[]).length).toBe(2)
  })

  it('keeps at most 1,000 devices, dropping the least recently seen, never a trusted one', async () => {
    const dir = tmp()
    const trusted = freshIdentity()
    const loaded = await KnownDevices.load(dir, { keep: id => id === trusted.id, writeDelayMs: 50 })
    if (!loaded.ok) throw new Error(loaded.error.message)
    const known = loaded.value
    await known.remember(rawPublicKey(trusted.publicKey), 'trusted')
    const early = freshIdentity()
    await known.remember(rawPublicKey(early.publicKey), 'early')
    const recent = freshIdentity()
    await known.remember(rawPublicKey(recent.publicKey), 'recent')
    for (let i = 0; i < 2_000; i++) {
      await known.remember(rawPublicKey(freshIdentity().publicKey), `n${i}`)
      // Seen again now and then: stays among the most recently seen.
      if (i % 500 === 0) await known.remember(rawPublicKey(recent.publicKey), 'recent')
    }
    expect(known.list()).toHaveLength(1_000)
    expect(known.get(trusted.id)).toBeDefined()
    expect(known.get(recent.id)).toBeDefined()
    expect(known.get(early.id)).toBeUndefined()
    // 2,003 changes, not one written yet: writes are coalesced.
    expect(existsSync(join(dir, KNOWN_DEVICES_FILE))).toBe(false)
    await new Promise(resolve => setTimeout(resolve, 200))
    const onDisk = JSON.parse(readFileSync(join(dir, KNOWN_DEVICES_FILE), 'utf8')) as Array<{ id: string }>
    expect(onDisk).toHaveLength(1_000)
    // Reloaded, the order of sightings is kept: the trusted device is still never dropped.
    const again = await KnownDevices.load(dir, { keep: id => id === trusted.id, maxDevices: 10 })
    if (!again.ok) throw new Error(again.error.message)
    expect(again.value.list()).toHaveLength(10)
    expect(again.value.get(trusted.id)).toBeDefined()
    expect(again.value.get(recent.id)).toBeUndefined()
  })
})
