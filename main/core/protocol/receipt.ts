// Signed receipts. A recipient that verified a copy signs, with its device key, what it holds
// (info-hash, whole-content SHA-256, size), when it verified it, and who it is. The receipt carries
// the raw public key, so anyone can check it with nothing else: the key hashes to the device id,
// and the signature holds. The origin checks it before keeping it; an auditor checks it again from
// an exported report (`swarmdrop report --verify`) without trusting the origin.
// The encoding is specified in docs/protocol.md, "Receipt".
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import type { SignedReceipt } from '../../../common/api.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { deviceIdFromPublicKey } from '../identity/device-id.js'
import { rawPublicKey, type Identity } from '../identity/identity.js'
import { base64Of, deviceId, FieldError, hex, int, obj, type Json } from './fields.js'

/** Separates receipt signatures from anything else a device key might ever sign. */
export const RECEIPT_SIGNATURE_CONTEXT = 'swarmdrop-receipt-v1'

/** The receipt as the contract carries it (common/api.ts): one shape on the wire, in history and in reports. */
export type Receipt = SignedReceipt

export type UnsignedReceipt = Omit<Receipt, 'publicKey' | 'signature'>

/** What a receipt must say to be about a given copy. */
export type ReceiptClaim = Pick<Receipt, 'infoHash' | 'sha256' | 'deviceId' | 'bytes'>

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** UTF-8 of a JSON array in a fixed order, no whitespace (the offer signature's rule: no key order to agree on). */
export function receiptSigningBytes (r: UnsignedReceipt): Buffer {
  return Buffer.from(JSON.stringify([RECEIPT_SIGNATURE_CONTEXT, r.infoHash, r.sha256, r.verifiedAt, r.deviceId, r.bytes]), 'utf8')
}

export function signReceipt (identity: Identity, r: UnsignedReceipt): Receipt {
  return {
    infoHash: r.infoHash,
    sha256: r.sha256,
    verifiedAt: r.verifiedAt,
    deviceId: r.deviceId,
    bytes: r.bytes,
    publicKey: rawPublicKey(identity.publicKey).toString('base64'),
    signature: sign(null, receiptSigningBytes(r), identity.privateKey).toString('base64')
  }
}

function keyOf (raw: Buffer): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
  } catch {
    return undefined
  }
}

/**
 * Whether the receipt is its device's own: the key is the device's (hashes to deviceId) and the
 * signature over the signed fields holds. Codes: `key-mismatch`, `bad-signature`.
 */
export function verifyReceipt (r: Receipt): Result<void> {
  const raw = Buffer.from(r.publicKey, 'base64')
  const key = raw.length === 32 ? keyOf(raw) : undefined
  if (key === undefined || deviceIdFromPublicKey(raw) !== r.deviceId) {
    return fail('key-mismatch', `the receipt's public key is not the key of device ${r.deviceId}`)
  }
  let good = false
  try {
    good = verify(null, receiptSigningBytes(r), key, Buffer.from(r.signature, 'base64'))
  } catch {
    good = false
  }
  return good ? ok(undefined) : fail('bad-signature', `the receipt's signature does not hold for device ${r.deviceId}: a signed field was changed`)
}

/** Whether the receipt is about `claim` (the copy a report or a record says it is about). Code: `mismatch`. */
export function receiptMatches (r: Receipt, claim: ReceiptClaim): Result<void> {
  for (const key of ['infoHash', 'sha256', 'deviceId', 'bytes'] as const) {
    if (r[key] !== claim[key]) return fail('mismatch', `the receipt's ${key} is ${String(r[key])}, not ${String(claim[key])}`)
  }
  return ok(undefined)
}

/** Whether two receipts are the same in every field. */
export function sameReceipt (a: Receipt, b: Receipt | undefined): boolean {
  return b !== undefined && a.infoHash === b.infoHash && a.sha256 === b.sha256 && a.verifiedAt === b.verifiedAt &&
    a.deviceId === b.deviceId && a.bytes === b.bytes && a.publicKey === b.publicKey && a.signature === b.signature
}

/** Reads a receipt's fields (throws FieldError naming the field); for message parsers. */
export function readReceipt (v: unknown, field: string): Receipt {
  const o: Json = obj(v, field)
  const verifiedAt = o.verifiedAt
  if (typeof verifiedAt !== 'string' || !ISO_UTC_MS.test(verifiedAt) || Number.isNaN(Date.parse(verifiedAt)) || new Date(verifiedAt).toISOString() !== verifiedAt) {
    throw new FieldError(`${field}.verifiedAt must be a UTC time as YYYY-MM-DDTHH:MM:SS.sssZ`)
  }
  return {
    infoHash: hex(o, 'infoHash', field, 40),
    sha256: hex(o, 'sha256', field, 64),
    verifiedAt,
    deviceId: deviceId(o, 'deviceId', field),
    bytes: int(o, 'bytes', field),
    publicKey: base64Of(o, 'publicKey', field, 32),
    signature: base64Of(o, 'signature', field, 64)
  }
}

/** A receipt from untrusted JSON (its shape only: verifyReceipt checks the signature). */
export function parseReceipt (v: unknown, field = 'receipt'): Result<Receipt> {
  try {
    return ok(readReceipt(v, field))
  } catch (err) {
    if (err instanceof FieldError) return fail('bad-request', err.message)
    throw err
  }
}

/** Parsed and checked at once: the receipt's shape, its signature, and that it is about `claim`. */
export function checkReceipt (v: unknown, claim: ReceiptClaim): Result<Receipt> {
  const parsed = parseReceipt(v)
  if (!parsed.ok) return parsed
  const signed = verifyReceipt(parsed.value)
  if (!signed.ok) return signed
  const about = receiptMatches(parsed.value, claim)
  return about.ok ? parsed : about
}
