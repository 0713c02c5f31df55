// Signed offers. The sender signs a canonical encoding of everything a recipient acts on with its
// device key; the recipient checks, before the offer is stored, shown or accepted, that the key
// is the sender's (it hashes to sender.id), that the signature holds, and that the TLS connection
// it came over is that same device (so a captured offer cannot be replayed by anyone else).
// The encoding is specified in docs/protocol.md, "Offer signature".
import { createPublicKey, type KeyObject } from 'node:crypto'
import { deviceIdFromPublicKey, shortFingerprint } from '../identity/device-id.js'
import { rawPublicKey, signBytes, verifyBytes, type Identity } from '../identity/identity.js'
import { fail, ok, type Result } from '../../../common/result.js'
import type { Offer } from './messages.js'

export type UnsignedOffer = Omit<Offer, 'signature'>

/** Separates offer signatures from anything else a device key might ever sign. */
export const OFFER_SIGNATURE_CONTEXT = 'swarmdrop-offer-v2'

/**
 * UTF-8 of a JSON array in a fixed order, no whitespace. Arrays, not objects, so there is no key
 * order to agree on; only strings, safe integers and null occur, which every JSON writer
 * (RFC 8785 included) prints the same way.
 */
export function offerSigningBytes (o: UnsignedOffer): Buffer {
  return Buffer.from(JSON.stringify([
    OFFER_SIGNATURE_CONTEXT,
    o.protocol,
    o.offerId,
    [o.sender.id, o.sender.name, o.sender.controlPort, o.sender.btPort],
    o.infoHash,
    o.sha256,
    o.totalLength,
    o.name,
    o.members.map(m => [m.id, m.name, m.address, m.btPort]),
    o.createdAt,
    // Only in a channel's offers, so every other offer signs exactly as before.
    ...(o.channel !== undefined ? [['channel', o.channel.id]] : [])
  ]), 'utf8')
}

export function signOffer (identity: Identity, o: UnsignedOffer): Offer {
  return { ...o, signature: signBytes(identity, offerSigningBytes(o)) }
}

function ed25519Key (pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem)
    return key.asymmetricKeyType === 'ed25519' ? key : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether `offer` really comes from its sender, over a connection from `tlsPeer` (the device id
 * the caller's certificate proved). Codes: `unsigned`, `key-mismatch`, `bad-signature`, `wrong-sender`.
 */
export function verifyOffer (offer: Offer, tlsPeer: string | undefined): Result<void> {
  const who = `${offer.sender.name} (${shortFingerprint(offer.sender.id)})`
  if (offer.signature === undefined) return fail('unsigned', `the offer from ${who} is not signed (protocol 2 needs signed offers)`)
  const key = ed25519Key(offer.sender.publicKey)
  if (!key || deviceIdFromPublicKey(rawPublicKey(key)) !== offer.sender.id) {
    return fail('key-mismatch', `offer.sender.publicKey is not the key of device ${offer.sender.id}: refused`)
  }
  if (!verifyBytes(offer.sender.publicKey, offerSigningBytes(offer), offer.signature)) {
    return fail('bad-signature', `the offer's signature is not ${who}'s: refused`)
  }
  if (tlsPeer !== offer.sender.id) {
    const from = tlsPeer === undefined ? 'an unauthenticated connection' : `device ${shortFingerprint(tlsPeer)}`
    return fail('wrong-sender', `the offer is signed by ${who} but came from ${from}: refused`)
  }
  return ok(undefined)
}
