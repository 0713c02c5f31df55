// A watched folder's offers carry their channel, signed: the id survives parsing, and an offer
// whose channel was added, removed or changed on the way no longer verifies. Swarm views carry
// each member's endpoint, so a member learns machines offered the file after it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity, type Identity } from '../../../main/core/identity/identity.js'
import { parseOffer, PROTOCOL } from '../../../main/core/protocol/messages.js'
import { signOffer, verifyOffer, type UnsignedOffer } from '../../../main/core/protocol/offer-signature.js'
import { parseSwarmView } from '../../../main/core/protocol/swarm-view.js'

let dir = ''
let sender: Identity

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sd-chan-sig-'))
  const r = await loadOrCreateIdentity(dir)
  if (!r.ok) throw new Error(r.error.message)
  sender = r.value
})
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

function batchOffer (): UnsignedOffer {
  return {
    protocol: PROTOCOL,
    offerId: 'o-1',
    sender: { id: sender.id, name: 'origin', publicKey: sender.publicKeyPem, controlPort: 47620, btPort: 47621 },
    infoHash: 'b'.repeat(40),
    name: 'segments',
    totalLength: 10,
    sha256: 'c'.repeat(64),
    files: [{ path: 'a.ts', length: 10 }],
    torrent: 'AAAA',
    members: [{ id: sender.id, name: 'origin', address: null, btPort: 47621 }],
    createdAt: '2026-12-04T00:00:00.000Z',
    channel: { id: '0123456789abcdef' }
  }
}

describe('channel offers', () => {
  it('keep their channel id through parsing and verify', () => {
    const signed = signOffer(sender, batchOffer())
    const parsed = parseOffer(JSON.parse(JSON.stringify(signed)))
    if (!parsed.ok) throw new Error(parsed.error.message)
    expect(parsed.value.channel).toEqual({ id: '0123456789abcdef' })
    expect(verifyOffer(parsed.value, sender.id).ok).toBe(true)
  })

  it('do not verify once the channel was changed, added or dropped', () => {
    const signed = signOffer(sender, batchOffer())
    const code = (o: typeof signed): string => { const r = verifyOffer(o, sender.id); return r.ok ? 'ok' : r.error.code }
    expect(code({ ...signed, channel: { id: 'fedcba9876543210' } })).toBe('bad-signature')
    const { channel: _dropped, ...without } = signed
    expect(code(without)).toBe('bad-signature')
    const { channel: _c, ...plain } = batchOffer()
    const plainSigned = signOffer(sender, plain)
    expect(code(plainSigned)).toBe('ok')
    expect(code({ ...plainSigned, channel: { id: '0123456789abcdef' } })).toBe('bad-signature')
    expect(parseOffer({ ...JSON.parse(JSON.stringify(signed)), channel: { id: 'not-hex' } }).ok).toBe(false)
  })

  it('swarm views carry a member endpoint when the sender knows it', () => {
    const member = { id: 'd'.repeat(32), name: 'lab-02', state: 'accepted', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, hashFailures: 0, seq: 0 }
    const view = parseSwarmView({ protocol: PROTOCOL, infoHash: 'b'.repeat(40), members: [{ ...member, address: '10.0.0.12', btPort: 47621 }, member] })
    expect(view.ok && view.value.members.map(m => [m.address, m.btPort])).toEqual([['10.0.0.12', 47621], [undefined, undefined]])
    expect(parseSwarmView({ protocol: PROTOCOL, infoHash: 'b'.repeat(40), members: [{ ...member, address: 'nowhere', btPort: 47621 }] }).ok).toBe(false)
  })
})
