// The control protocol's messages between devices (docs/protocol.md is the prose version).
// Every parser takes untrusted JSON and returns a typed message or a reason for a 400.
import type { Advert } from '../discovery/peer-info.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { MAX_DEVICE_NAME } from '../../../common/network-text.js'
import { readReceipt, type Receipt } from './receipt.js'
import { base64Of, deviceId, FieldError, hex, int, ipv4, list, num, obj, offerId, oneOf, optStr, optText, port, str, text, type Json } from './fields.js'

// 2: the control channel runs over mutual TLS bound to device keys, and offers are signed.
// 3: members prove their keys on the BitTorrent wire (sd_member), reports carry an order and are
//    answered with the sender's view of the swarm. A device of protocol 3 refuses older offers:
//    their sender would be closed as an impostor on the wire, so the transfer could never start.
export const PROTOCOL = 3

/** What GET /v1/info answers: the device's mDNS advert, plus its protocol version and key. */
export interface DeviceInfo extends Advert {
  readonly protocol: number
  readonly publicKey: string
}

export interface Member {
  readonly id: string
  readonly name: string
  /** null for the sender: the recipient uses the address the offer came from. */
  readonly address: string | null
  readonly btPort: number
}

export interface OfferFile { readonly path: string; readonly length: number }

export interface Offer {
  readonly protocol: number
  readonly offerId: string
  readonly sender: { readonly id: string; readonly name: string; readonly publicKey: string; readonly controlPort: number; readonly btPort: number }
  readonly infoHash: string
  readonly name: string
  readonly totalLength: number
  readonly sha256: string
  /**
   * Sent empty: the recipient takes the file list from the torrent (which the signed infoHash
   * binds), so a folder of 50,000 files no longer travels twice. Kept in the message because
   * protocol-3 builds before this change require the field; ignored by parseOffer.
   */
  readonly files: readonly OfferFile[]
  /** The .torrent (bencoded bytes), base64. */
  readonly torrent: string
  readonly members: readonly Member[]
  readonly createdAt: string
  /**
   * A batch of a watched folder (channel): the recipient puts its files into the folder the
   * channel's earlier batches went to (named after the torrent), not into a new "NAME (2)".
   */
  readonly channel?: { readonly id: string }
  /**
   * Ed25519 by the sender's device key over offerSigningBytes (offer-signature.ts), base64. Optional
   * to the parser so that an unsigned offer is refused with its own reason (verifyOffer).
   */
  readonly signature?: string
}

export const DECISIONS = ['accepted', 'declined', 'pending'] as const
export type Decision = typeof DECISIONS[number]
export interface OfferReply { readonly decision: Decision; readonly reason?: string }

/** States a recipient reports to the sender ('no-space': its disk filled up, it resumes when freed). */
export const REPORT_STATES = ['pending', 'accepted', 'declined', 'downloading', 'verifying', 'verified', 'failed', 'paused', 'no-space'] as const
export type ReportState = typeof REPORT_STATES[number]

export interface Report {
  readonly protocol: number
  readonly infoHash: string
  readonly from: string
  readonly state: ReportState
  readonly verifiedPieces: number
  readonly pieceCount: number
  readonly verifiedBytes: number
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  readonly uploadedBytes: number
  readonly hashFailures: number
  readonly sha256?: string
  readonly reason?: string
  /** Verified pieces as a BitTorrent bitfield, base64 (high bit = piece 0). */
  readonly bitfield?: string
  /**
   * Order of this member's reports for this distribution, increasing across restarts: the sender
   * keeps the highest and drops anything older (a late or retried report never undoes a newer one).
   */
  readonly seq?: number
  /** The copy was verified before this offer came (a re-send): nothing was fetched. */
  readonly alreadyHad?: boolean
  /** With state 'verified': the recipient's signed receipt for its copy (receipt.ts). */
  readonly receipt?: Receipt
}

export interface ErrorBody { readonly error: { readonly code: string; readonly message: string } }

const MAX_MEMBERS = 1000
/** A channel id: 16 lowercase hex digits (channels/channel-store.ts makes them). */
const CHANNEL_ID = /^[0-9a-f]{16}$/

function channelId (o: Json): string {
  const id = o.id
  if (typeof id !== 'string' || !CHANNEL_ID.test(id)) throw new FieldError('offer.channel.id must be 16 lowercase hex digits')
  return id
}
const MAX_REASON = 500

function parse<T> (fn: () => T): Result<T> {
  try {
    return ok(fn())
  } catch (err) {
    if (err instanceof FieldError) return fail('bad-request', err.message)
    throw err
  }
}

export function parseOffer (body: unknown): Result<Offer> {
  return parse(() => {
    const o = obj(body, 'offer')
    const protocol = int(o, 'protocol', 'offer', 1, PROTOCOL)
    const signature = o.signature === undefined ? undefined : base64Of(o, 'signature', 'offer', 64)
    const s = obj(o.sender, 'offer.sender')
    const members = list(o, 'members', 'offer', MAX_MEMBERS).map((m, i): Member => {
      const mo = obj(m, `offer.members[${i}]`)
      const f = `offer.members[${i}]`
      return {
        id: deviceId(mo, 'id', f),
        name: text(mo, 'name', f, MAX_DEVICE_NAME),
        address: mo.address === null ? null : ipv4(mo, 'address', f),
        btPort: port(mo, 'btPort', f)
      }
    })
    return {
      protocol,
      offerId: offerId(o, 'offerId', 'offer'),
      sender: {
        id: deviceId(s, 'id', 'offer.sender'),
        name: text(s, 'name', 'offer.sender', MAX_DEVICE_NAME),
        publicKey: str(s, 'publicKey', 'offer.sender', 512),
        controlPort: port(s, 'controlPort', 'offer.sender'),
        btPort: port(s, 'btPort', 'offer.sender')
      },
      infoHash: hex(o, 'infoHash', 'offer', 40),
      // Checked with the torrent's own name by the path rules (safe-path.ts), which it must equal.
      name: str(o, 'name', 'offer', 255),
      totalLength: int(o, 'totalLength', 'offer', 1),
      sha256: hex(o, 'sha256', 'offer', 64),
      // Not read: the torrent's own list is the one used (and checked), see Offer.files.
      files: [],
      torrent: str(o, 'torrent', 'offer', 140 * 1024 * 1024),
      members,
      createdAt: text(o, 'createdAt', 'offer', 64),
      ...(o.channel === undefined ? {} : { channel: { id: channelId(obj(o.channel, 'offer.channel')) } }),
      ...(signature === undefined ? {} : { signature })
    }
  })
}

export function parseOfferReply (body: unknown): Result<OfferReply> {
  return parse(() => {
    const o = obj(body, 'reply')
    const reason = optText(o, 'reason', 'reply', MAX_REASON)
    const decision = oneOf(o, 'decision', 'reply', DECISIONS)
    return reason === undefined ? { decision } : { decision, reason }
  })
}

export function parseReport (body: unknown): Result<Report> {
  return parse(() => {
    const o: Json = obj(body, 'report')
    const sha256 = o.sha256 === undefined ? undefined : hex(o, 'sha256', 'report', 64)
    const reason = optText(o, 'reason', 'report', MAX_REASON)
    const bitfield = optStr(o, 'bitfield', 'report', 4 * 1024 * 1024)
    return {
      protocol: int(o, 'protocol', 'report', 1, PROTOCOL),
      infoHash: hex(o, 'infoHash', 'report', 40),
      from: deviceId(o, 'from', 'report'),
      state: oneOf(o, 'state', 'report', REPORT_STATES),
      verifiedPieces: int(o, 'verifiedPieces', 'report'),
      pieceCount: int(o, 'pieceCount', 'report'),
      verifiedBytes: int(o, 'verifiedBytes', 'report'),
      downloadSpeed: num(o, 'downloadSpeed', 'report'),
      uploadSpeed: num(o, 'uploadSpeed', 'report'),
      uploadedBytes: int(o, 'uploadedBytes', 'report'),
      hashFailures: int(o, 'hashFailures', 'report'),
      ...(sha256 === undefined ? {} : { sha256 }),
      ...(reason === undefined ? {} : { reason }),
      ...(bitfield === undefined ? {} : { bitfield }),
      ...(o.seq === undefined ? {} : { seq: int(o, 'seq', 'report') }),
      ...(o.alreadyHad === true ? { alreadyHad: true } : {}),
      ...(o.receipt === undefined || o.receipt === null ? {} : { receipt: readReceipt(o.receipt, 'report.receipt') })
    }
  })
}

export function parseDeviceInfo (body: unknown): Result<DeviceInfo> {
  return parse(() => {
    const o = obj(body, 'info')
    return {
      protocol: int(o, 'protocol', 'info', 1, 1_000),
      id: deviceId(o, 'id', 'info'),
      name: text(o, 'name', 'info', MAX_DEVICE_NAME),
      platform: text(o, 'platform', 'info', 32),
      version: text(o, 'version', 'info', 32),
      controlPort: port(o, 'controlPort', 'info'),
      btPort: port(o, 'btPort', 'info'),
      publicKey: str(o, 'publicKey', 'info', 512)
    }
  })
}
