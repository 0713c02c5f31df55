// Signed offers: a genuine offer verifies; an unsigned one, one whose any signed field was changed,
// one signed by another key, one whose key is not its sender id's, and a genuine one replayed over
// another device's connection are each refused with their own code.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { statusForCode } from '../../../main/core/control/http-json.js'
import { loadOrCreateIdentity, signBytes, type Identity } from '../../../main/core/identity/identity.js'
import { parseOffer, PROTOCOL, type Offer } from '../../../main/core/protocol/messages.js'
import { offerSigningBytes, signOffer, verifyOffer, type UnsignedOffer } from '../../../main/core/protocol/offer-signature.js'

const dirs: string[] = []
let sender: Identity
let other: Identity
let recipientId = ''

beforeAll(async () => {
  const make = async (): Promise<Identity> => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-sig-'))
    dirs.push(dir)
    const r = await loadOrCreateIdentity(dir)
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  sender = await make()
  other = await make()
  recipientId = (await make()).id
})

afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function unsigned (by: Identity = sender): UnsignedOffer {
  return {
    protocol: PROTOCOL,
    offerId: 'o-1',
    sender: { id: by.id, name: 'origin', publicKey: by.publicKeyPem, controlPort: 47620, btPort: 47621 },
    infoHash: 'b'.repeat(40),
    name: 'x.iso',
    totalLength: 10,
    sha256: 'c'.repeat(64),
    files: [{ path: 'x.iso', length: 10 }],
    torrent: 'AAAA',
    members: [{ id: by.id, name: 'origin', address: null, btPort: 47621 }, { id: recipientId, name: 'lab', address: '10.0.0.2', btPort: 47621 }],
    createdAt: '2026-01-01T00:00:00Z'
  }
}

function code (o: Offer, peer: string | undefined): string {
  const r = verifyOffer(o, peer)
  return r.ok ? 'ok' : r.error.code
}

describe('offer signatures', () => {
  it('a genuine offer verifies, also after a JSON round trip through the parser', () => {
    const o = signOffer(sender, unsigned())
    expect(code(o, sender.id)).toBe('ok')
    const parsed = parseOffer(JSON.parse(JSON.stringify(o)))
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(code(parsed.value, sender.id)).toBe('ok')
  })

  it('the signed bytes are the documented fixed-order JSON array', () => {
    const text = offerSigningBytes(unsigned()).toString('utf8')
    expect(text).toBe(JSON.stringify(['swarmdrop-offer-v2', PROTOCOL, 'o-1', [sender.id, 'origin', 47620, 47621], 'b'.repeat(40), 'c'.repeat(64), 10, 'x.iso',
      [[sender.id, 'origin', null, 47621], [recipientId, 'lab', '10.0.0.2', 47621]], '2026-01-01T00:00:00Z']))
  })

  it('an unsigned offer is refused', () => {
    expect(code(unsigned(), sender.id)).toBe('unsigned')
  })

  it.each<[string, (o: Offer) => Offer]>([
    ['offerId', o => ({ ...o, offerId: 'o-2' })],
    ['infoHash', o => ({ ...o, infoHash: 'd'.repeat(40) })],
    ['sha256', o => ({ ...o, sha256: 'e'.repeat(64) })],
    ['totalLength', o => ({ ...o, totalLength: 11 })],
    ['name', o => ({ ...o, name: 'y.iso' })],
    ['createdAt', o => ({ ...o, createdAt: '2027-01-01T00:00:00Z' })],
    ['sender.name', o => ({ ...o, sender: { ...o.sender, name: 'boss' } })],
    ['sender.controlPort', o => ({ ...o, sender: { ...o.sender, controlPort: 1 } })],
    ['a member address', o => ({ ...o, members: o.members.map((m, i) => i === 1 ? { ...m, address: '10.0.0.66' } : m) })],
    ['an added member', o => ({ ...o, members: [...o.members, { id: other.id, name: 'eve', address: '10.0.0.66', btPort: 1 }] })]
  ])('a tampered %s breaks the signature', (_field, tamper) => {
    expect(code(tamper(signOffer(sender, unsigned())), sender.id)).toBe('bad-signature')
  })

  it('a signature by another key is refused (claimed id with the real public key)', () => {
    const o = unsigned()
    const forged: Offer = { ...o, signature: signBytes(other, offerSigningBytes(o)) }
    expect(code(forged, sender.id)).toBe('bad-signature')
  })

  it('a public key that is not the sender id\'s is refused, however well it signs', () => {
    const o: UnsignedOffer = { ...unsigned(other), sender: { ...unsigned(other).sender, id: sender.id } }
    expect(code(signOffer(other, o), sender.id)).toBe('key-mismatch')
    expect(code({ ...signOffer(sender, unsigned()), sender: { ...unsigned().sender, publicKey: 'not a key' } }, sender.id)).toBe('key-mismatch')
  })

  it('a genuine offer replayed over another device\'s connection is refused', () => {
    const o = signOffer(sender, unsigned())
    expect(code(o, other.id)).toBe('wrong-sender')
    expect(code(o, undefined)).toBe('wrong-sender')
  })

  it('every refusal is a 4xx', () => {
    for (const c of ['unsigned', 'key-mismatch', 'bad-signature', 'wrong-sender']) expect(statusForCode(c)).toBe(403)
  })
})
