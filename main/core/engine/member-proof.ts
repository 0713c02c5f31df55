// The member proof of the `sd_member` BitTorrent extension (BEP 10), as pure functions: what each
// side announces in its extended handshake (a fresh nonce, its device id and public key), the
// answer it sends (a signature over the other side's nonce, the info-hash and both device ids),
// and the checks that decide whether the peer at a member's address holds that member's key.
// docs/protocol.md ("Members on the wire") is the specification; member-extension.ts runs it on a wire.
import { createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { deviceIdFromPublicKey, isDeviceId } from '../identity/device-id.js'
import { rawPublicKey, type Identity } from '../identity/identity.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { bdecode, bencode, type BDict, type BValue } from '../torrent/bencode.js'

/** The extension's name in the BEP 10 `m` dictionary, and its key in the extended handshake. */
export const EXTENSION_NAME = 'sd_member'
export const PROOF_VERSION = 1
/** Domain separation: a signature made here can never be taken for any other Swarmdrop signature. */
export const PROOF_CONTEXT = Buffer.from('swarmdrop sd_member proof v1\0', 'latin1')
export const NONCE_BYTES = 32
const MIN_NONCE_BYTES = 16
const MAX_NONCE_BYTES = 64
const ID_BYTES = 16
const KEY_BYTES = 32
const SIGNATURE_BYTES = 64
const INFO_HASH_BYTES = 20
/** BitTorrent's standard request size: what a member agrees on with a peer that offers nothing larger. */
export const STANDARD_BLOCK_BYTES = 16 * 1024
/** The largest request this side offers to members (`bs`): a piece of up to 1 MiB is one request. */
export const MAX_MEMBER_BLOCK_BYTES = 1024 * 1024
/** A proof message is a few dozen bytes; anything much larger is refused before it is decoded. */
export const MAX_PROOF_MESSAGE_BYTES = 512
/** Raw Ed25519 public keys become KeyObjects through this SPKI DER prefix (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** A swarm member as the engine sees it: its device id and the IP address it is reached at. */
export interface MemberEndpoint {
  readonly id: string
  readonly address: string
}

/** What a side announces in its extended handshake under `sd_member`. */
export interface Hello {
  readonly version: number
  readonly nonce: Buffer
  /** Device id, 32 lowercase hex digits. */
  readonly id: string
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer
  /** The largest request (bytes) the peer offers to send and serve on this connection (`bs`). */
  readonly blockSize?: number
}

/** This device as the wire needs it: its id, raw public key and a signer. */
export interface WireIdentity {
  readonly id: string
  readonly publicKey: Buffer
  sign (data: Buffer): Buffer
}

export function wireIdentity (identity: Identity): WireIdentity {
  return {
    id: identity.id,
    publicKey: rawPublicKey(identity.publicKey),
    sign: data => sign(null, data, identity.privateKey)
  }
}

export function freshNonce (): Buffer {
  return randomBytes(NONCE_BYTES)
}

/**
 * The `sd_member` value of this side's extended handshake (a bencodable dictionary), offering
 * requests of up to `blockSize` bytes when that is larger than the standard 16 KiB.
 */
export function helloValue (me: WireIdentity, nonce: Buffer, blockSize?: number): BDict {
  const hello: BDict = { v: PROOF_VERSION, nonce, id: Buffer.from(me.id, 'hex'), pk: me.publicKey }
  if (blockSize !== undefined && blockSize > STANDARD_BLOCK_BYTES) hello.bs = blockSize
  return hello
}

/**
 * The request size both sides of a proven connection use: the smaller of the two offers, in whole
 * 16 KiB blocks and at most MAX_MEMBER_BLOCK_BYTES; the standard 16 KiB unless both offered more.
 * Each side computes it from the same two hellos, so both arrive at the same size.
 */
export function agreedBlockSize (mine: number | undefined, theirs: number | undefined): number {
  if (mine === undefined || theirs === undefined) return STANDARD_BLOCK_BYTES
  const smaller = Math.min(mine, theirs, MAX_MEMBER_BLOCK_BYTES)
  return Math.max(STANDARD_BLOCK_BYTES, smaller - (smaller % STANDARD_BLOCK_BYTES))
}

/**
 * The peer's hello from its decoded extended handshake (WebTorrent's bencode gives byte strings as
 * Uint8Array), or why it is unusable. Unknown keys are ignored, so later versions may add some.
 */
export function parseHello (handshake: unknown): Result<Hello> {
  const h = isRecord(handshake) ? handshake[EXTENSION_NAME] : undefined
  if (h === undefined) return fail('no-proof', 'the peer does not offer the Swarmdrop member proof (sd_member)')
  if (!isRecord(h)) return fail('bad-hello', 'the peer\'s sd_member handshake is not a dictionary')
  const { v, nonce, id, pk, bs } = h
  if (v !== PROOF_VERSION) return fail('bad-hello', `the peer's sd_member version is not ${PROOF_VERSION}`)
  if (!(nonce instanceof Uint8Array) || nonce.length < MIN_NONCE_BYTES || nonce.length > MAX_NONCE_BYTES) return fail('bad-hello', `the peer's sd_member nonce is not ${MIN_NONCE_BYTES}–${MAX_NONCE_BYTES} bytes`)
  if (!(id instanceof Uint8Array) || id.length !== ID_BYTES) return fail('bad-hello', 'the peer\'s sd_member id is not 16 bytes')
  if (!(pk instanceof Uint8Array) || pk.length !== KEY_BYTES) return fail('bad-hello', 'the peer\'s sd_member key is not 32 bytes')
  const idHex = Buffer.from(id).toString('hex')
  return ok({
    version: v,
    nonce: Buffer.from(nonce),
    id: idHex,
    publicKey: Buffer.from(pk),
    ...(typeof bs === 'number' && Number.isSafeInteger(bs) && bs > 0 ? { blockSize: bs } : {})
  })
}

/**
 * Whether the peer at `address` may claim to be `hello.id` in this swarm: the key must hash to the
 * id, and the id must be a member listed at exactly that address. Checked before signing anything
 * for the peer and before believing its proof.
 */
export function checkClaim (hello: Hello, members: readonly MemberEndpoint[], address: string): Result<void> {
  if (!isDeviceId(hello.id) || deviceIdFromPublicKey(hello.publicKey) !== hello.id) return fail('key-mismatch', `the key presented is not the key of device ${hello.id}`)
  const listed = members.filter(m => m.id === hello.id)
  if (listed.length === 0) return fail('not-member', `device ${hello.id} is not a member of this swarm`)
  if (!listed.some(m => m.address === address)) return fail('wrong-address', `device ${hello.id} is a member listed at ${listed.map(m => m.address).join(', ')}, not at ${address}`)
  return ok(undefined)
}

/** The bytes a prover signs: context, the verifier's nonce, the info-hash, prover id, verifier id. */
export function proofMessage (verifierNonce: Buffer, infoHash: string, proverId: string, verifierId: string): Result<Buffer> {
  const ih = Buffer.from(infoHash, 'hex')
  if (ih.length !== INFO_HASH_BYTES || !/^[0-9a-f]{40}$/.test(infoHash)) return fail('bad-info-hash', 'the info-hash is not 40 lowercase hex digits')
  if (!isDeviceId(proverId) || !isDeviceId(verifierId)) return fail('bad-id', 'a device id is not 32 lowercase hex digits')
  return ok(Buffer.concat([PROOF_CONTEXT, verifierNonce, ih, Buffer.from(proverId, 'hex'), Buffer.from(verifierId, 'hex')]))
}

/** The proof message this side sends: its signature for the peer's nonce and id. */
export function makeProof (me: WireIdentity, peer: Hello, infoHash: string): Result<Buffer> {
  const message = proofMessage(peer.nonce, infoHash, me.id, peer.id)
  if (!message.ok) return message
  return ok(bencode({ sig: me.sign(message.value) }))
}

/**
 * Checks a proof from the peer that announced `peer`: a signature by the peer's key over this
 * side's own nonce (so an answer made for another connection is worthless), the info-hash, the
 * peer's id and this side's id.
 */
export function checkProof (payload: Uint8Array, peer: Hello, me: { readonly id: string; readonly nonce: Buffer }, infoHash: string): Result<void> {
  if (payload.length > MAX_PROOF_MESSAGE_BYTES) return fail('bad-proof', `the peer's proof is larger than ${MAX_PROOF_MESSAGE_BYTES} bytes`)
  const decoded = bdecode(payload, { maxDepth: 2, maxTokens: 16 })
  if (!decoded.ok) return fail('bad-proof', `the peer's proof is not valid bencode: ${decoded.error.message}`)
  const sig = isBDict(decoded.value.value) ? decoded.value.value.sig : undefined
  if (!Buffer.isBuffer(sig) || sig.length !== SIGNATURE_BYTES) return fail('bad-proof', 'the peer\'s proof has no 64-byte signature')
  const message = proofMessage(me.nonce, infoHash, peer.id, me.id)
  if (!message.ok) return message
  const key = publicKeyObject(peer.publicKey)
  if (!key.ok) return key
  let valid = false
  try {
    valid = verify(null, message.value, key.value, sig)
  } catch {
    valid = false
  }
  return valid ? ok(undefined) : fail('bad-signature', `the signature does not prove the key of device ${peer.id} for this connection`)
}

function publicKeyObject (raw: Buffer): Result<KeyObject> {
  try {
    return ok(createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' }))
  } catch {
    return fail('bad-key', 'the peer\'s key is not an Ed25519 public key')
  }
}

function isRecord (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function isBDict (v: BValue): v is BDict {
  return typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
}
