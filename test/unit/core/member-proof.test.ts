// The sd_member proof on its own: what a hello carries, what is signed, and every answer that
// must not prove a member (wrong nonce, wrong info-hash, a key that is not the id's, an id that is
// no member or is listed elsewhere, an answer replayed from another connection).
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import { agreedBlockSize, checkClaim, checkProof, EXTENSION_NAME, freshNonce, helloValue, makeProof, parseHello, proofMessage, PROOF_CONTEXT, wireIdentity, type Hello, type WireIdentity } from '../../../main/core/engine/member-proof.js'
import { OncePerInterval } from '../../../main/core/engine/once-per-interval.js'
import { bdecode, bencode } from '../../../main/core/torrent/bencode.js'

function device (): WireIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const identity: Identity = { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
  return wireIdentity(identity)
}

/** A hello as the other side decodes it from the extended handshake on the wire. */
function helloOf (me: WireIdentity, nonce: Buffer): Hello {
  const onWire = bencode({ m: { [EXTENSION_NAME]: 1 }, [EXTENSION_NAME]: helloValue(me, nonce) })
  const decoded = bdecode(onWire)
  if (!decoded.ok) throw new Error(decoded.error.message)
  const hello = parseHello(decoded.value.value)
  if (!hello.ok) throw new Error(hello.error.message)
  return hello.value
}

const IH = 'ab'.repeat(20)
const OTHER_IH = 'cd'.repeat(20)

describe('sd_member hello', () => {
  it('carries the version, a fresh 32-byte nonce, the device id and the raw key, and survives bencode', () => {
    const a = device()
    const nonce = freshNonce()
    const hello = helloOf(a, nonce)
    expect(hello).toEqual({ version: 1, nonce, id: a.id, publicKey: a.publicKey })
    expect(freshNonce().equals(nonce)).toBe(false)
  })

  it('refuses a handshake without sd_member, and malformed fields, with a reason', () => {
    const a = device()
    expect(parseHello({ m: {} })).toMatchObject({ ok: false, error: { code: 'no-proof' } })
    const good = helloValue(a, freshNonce())
    expect(parseHello({ [EXTENSION_NAME]: { ...good, v: 2 } })).toMatchObject({ ok: false, error: { code: 'bad-hello' } })
    expect(parseHello({ [EXTENSION_NAME]: { ...good, nonce: Buffer.alloc(8) } })).toMatchObject({ ok: false, error: { code: 'bad-hello' } })
    expect(parseHello({ [EXTENSION_NAME]: { ...good, id: Buffer.alloc(15) } })).toMatchObject({ ok: false, error: { code: 'bad-hello' } })
    expect(parseHello({ [EXTENSION_NAME]: { ...good, pk: 'not bytes' } })).toMatchObject({ ok: false, error: { code: 'bad-hello' } })
  })

  it('offers a larger request size (bs) only when asked to, and it survives bencode', () => {
    const a = device()
    const nonce = freshNonce()
    const onWire = bencode({ [EXTENSION_NAME]: helloValue(a, nonce, 1024 * 1024) })
    const decoded = bdecode(onWire)
    if (!decoded.ok) throw new Error(decoded.error.message)
    const hello = parseHello(decoded.value.value)
    expect(hello.ok && hello.value.blockSize).toBe(1024 * 1024)
    expect('bs' in helloValue(a, nonce)).toBe(false)
    expect('bs' in helloValue(a, nonce, 16 * 1024)).toBe(false)
  })

  it('agrees on the smaller offer in whole 16 KiB blocks, at most 1 MiB, and on 16 KiB unless both offered', () => {
    const KiB = 1024
    expect(agreedBlockSize(1024 * KiB, 256 * KiB)).toBe(256 * KiB)
    expect(agreedBlockSize(256 * KiB, 1024 * KiB)).toBe(256 * KiB)
    expect(agreedBlockSize(1024 * KiB, undefined)).toBe(16 * KiB)
    expect(agreedBlockSize(undefined, 1024 * KiB)).toBe(16 * KiB)
    expect(agreedBlockSize(1024 * KiB, 100 * KiB)).toBe(96 * KiB)
    expect(agreedBlockSize(1024 * KiB, 1)).toBe(16 * KiB)
    expect(agreedBlockSize(64 * 1024 * KiB, 64 * 1024 * KiB)).toBe(1024 * KiB)
  })
})

describe('sd_member proof', () => {
  const a = device() // prover
  const b = device() // verifier

  it('signs context, the verifier\'s nonce, the info-hash, prover id and verifier id, in that order', () => {
    const nonce = freshNonce()
    const m = proofMessage(nonce, IH, a.id, b.id)
    expect(m.ok && m.value.equals(Buffer.concat([PROOF_CONTEXT, nonce, Buffer.from(IH, 'hex'), Buffer.from(a.id, 'hex'), Buffer.from(b.id, 'hex')]))).toBe(true)
    expect(proofMessage(nonce, 'AB'.repeat(20), a.id, b.id).ok).toBe(false)
  })

  it('proves a member that answers this connection\'s nonce for this info-hash', () => {
    const bNonce = freshNonce()
    const proof = makeProof(a, helloOf(b, bNonce), IH)
    expect(proof.ok).toBe(true)
    if (!proof.ok) return
    expect(checkProof(proof.value, helloOf(a, freshNonce()), { id: b.id, nonce: bNonce }, IH)).toEqual({ ok: true, value: undefined })
  })

  it('refuses an answer to another nonce: a replay from another connection', () => {
    const firstConnection = freshNonce()
    const secondConnection = freshNonce()
    const proof = makeProof(a, helloOf(b, firstConnection), IH)
    if (!proof.ok) throw new Error(proof.error.message)
    expect(checkProof(proof.value, helloOf(a, freshNonce()), { id: b.id, nonce: secondConnection }, IH)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('refuses an answer made for another info-hash', () => {
    const bNonce = freshNonce()
    const proof = makeProof(a, helloOf(b, bNonce), OTHER_IH)
    if (!proof.ok) throw new Error(proof.error.message)
    expect(checkProof(proof.value, helloOf(a, freshNonce()), { id: b.id, nonce: bNonce }, IH)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('refuses an answer made for another verifier', () => {
    const c = device()
    const nonce = freshNonce()
    const proof = makeProof(a, helloOf(c, nonce), IH) // a answered c, with the same nonce
    if (!proof.ok) throw new Error(proof.error.message)
    expect(checkProof(proof.value, helloOf(a, freshNonce()), { id: b.id, nonce }, IH)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('refuses a signature by another key than the one announced', () => {
    const mallory = device()
    const bNonce = freshNonce()
    // Mallory signs with its own key, claiming a's id and announcing a's key.
    const forged = makeProof({ ...mallory, id: a.id }, helloOf(b, bNonce), IH)
    if (!forged.ok) throw new Error(forged.error.message)
    expect(checkProof(forged.value, helloOf(a, freshNonce()), { id: b.id, nonce: bNonce }, IH)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('refuses garbage, oversized and signature-less answers', () => {
    const peer = helloOf(a, freshNonce())
    const me = { id: b.id, nonce: freshNonce() }
    expect(checkProof(Buffer.from('not bencode'), peer, me, IH)).toMatchObject({ ok: false, error: { code: 'bad-proof' } })
    expect(checkProof(Buffer.alloc(4096), peer, me, IH)).toMatchObject({ ok: false, error: { code: 'bad-proof' } })
    expect(checkProof(bencode({ sig: Buffer.alloc(10) }), peer, me, IH)).toMatchObject({ ok: false, error: { code: 'bad-proof' } })
    expect(checkProof(bencode({ sig: Buffer.alloc(64) }), peer, me, IH)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })
})

describe('sd_member claim', () => {
  const a = device()
  const b = device()
  const members = [{ id: a.id, address: '10.0.0.2' }, { id: b.id, address: '10.0.0.3' }]

  it('accepts the member listed at the connection\'s address', () => {
    expect(checkClaim(helloOf(a, freshNonce()), members, '10.0.0.2').ok).toBe(true)
  })

  it('refuses a key that does not hash to the claimed id', () => {
    const mallory = device()
    const hello: Hello = { ...helloOf(mallory, freshNonce()), id: a.id }
    expect(checkClaim(hello, members, '10.0.0.2')).toMatchObject({ ok: false, error: { code: 'key-mismatch' } })
  })

  it('refuses an id that is not a member, even with its own key', () => {
    const outsider = device()
    expect(checkClaim(helloOf(outsider, freshNonce()), members, '10.0.0.2')).toMatchObject({ ok: false, error: { code: 'not-member' } })
  })

  it('refuses a member at another member\'s address', () => {
    expect(checkClaim(helloOf(b, freshNonce()), members, '10.0.0.2')).toMatchObject({ ok: false, error: { code: 'wrong-address' } })
  })
})

describe('once per interval', () => {
  it('lets a key through once per interval and forgets the oldest keys beyond its cap', () => {
    let now = 0
    const once = new OncePerInterval(1_000, 2, () => now)
    expect(once.allow('x')).toBe(true)
    expect(once.allow('x')).toBe(false)
    now = 999
    expect(once.allow('x')).toBe(false)
    now = 1_000
    expect(once.allow('x')).toBe(true)
    expect(once.allow('y')).toBe(true)
    expect(once.allow('z')).toBe(true) // x is forgotten: at most 2 keys
    expect(once.allow('x')).toBe(true)
    expect(once.allow('z')).toBe(false)
  })
})
