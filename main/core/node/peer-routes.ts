// The routes other devices call on the control port (docs/protocol.md, "Device to device").
import { createPublicKey } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Result } from '../../../common/result.js'
import { readJsonBody, sendError, sendJson, statusForCode, type Route } from '../control/http-json.js'
import { RefusalLog } from '../control/refusal-log.js'
import { rawPublicKey } from '../identity/identity.js'
import { nameClashWarning } from '../identity/known-devices.js'
import { parseOffer, parseReport, type Offer } from '../protocol/messages.js'
import { verifyOffer } from '../protocol/offer-signature.js'
import { reportFits } from '../protocol/report-bounds.js'
import type { DistributionRegistry } from '../distributions/registry.js'
import type { KnownDevices } from '../identity/known-devices.js'
import type { DeviceInfo } from '../protocol/messages.js'
import type { EventEmitter } from 'node:events'
import type { NodeEvents } from './events.js'
import type { Origin } from './origin.js'
import type { Recipient } from './recipient.js'
import { applyRemovals } from '../channels/apply-removals.js'
import { parseChannelRemovals } from '../protocol/channel-removals.js'
import { parseWithdrawal, type WithdrawalAnswer } from '../protocol/withdrawal.js'

const MAX_OFFER_BYTES = 150 * 1024 * 1024
const MAX_REPORT_BYTES = 8 * 1024 * 1024
const MAX_REMOVALS_BYTES = 2 * 1024 * 1024
const MAX_WITHDRAWAL_BYTES = 1024

/** What the routes ask of the device they serve (the swarm node, which owns them and so is not imported here). */
export interface PeerRouteHost extends Pick<EventEmitter<NodeEvents>, 'emit'> {
  readonly registry: DistributionRegistry
  readonly known: KnownDevices
  info (): DeviceInfo
  receiveOffer (...args: Parameters<Recipient['receive']>): ReturnType<Recipient['receive']>
  receiveReport (...args: Parameters<Origin['report']>): ReturnType<Origin['report']>
  receiveWithdrawal (infoHash: string, peer: string): Promise<Result<WithdrawalAnswer>>
}

export function remoteIPv4 (req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? ''
  return a.startsWith('::ffff:') ? a.slice(7) : a
}

/** Answers a refusal with its status and code, and logs it (once per cause and address a minute). */
type Refuse = (req: IncomingMessage, res: ServerResponse, code: string, message: string, status?: number) => void

export function peerRoutes (node: PeerRouteHost): Route[] {
  const log = new RefusalLog(m => node.emit('warning', m))
  const refuse = (what: string): Refuse => (req, res, code, message, status = statusForCode(code)) => {
    const address = remoteIPv4(req)
    log.refused(`${what} ${code}`, address, `refused ${what} from ${address} (${status} ${code}): ${message}`)
    sendError(res, status, code, message)
  }
  const refuseOffer = refuse('an offer')
  const refuseReport = refuse('a report')
  const refuseRemovals = refuse('channel removals')
  const refuseWithdrawal = refuse('a withdrawal')
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/info$/,
      handle: ({ res }) => sendJson(res, 200, node.info())
    },
    {
      method: 'POST',
      pattern: /^\/v1\/offers$/,
      handle: messageHandler(MAX_OFFER_BYTES, parseOffer, refuseOffer, async (offer, req, res, peer) => {
        // Before anything is stored, shown or accepted: signed by its sender, and sent by it.
        const authentic = verifyOffer(offer, peer)
        if (!authentic.ok) return refuseOffer(req, res, authentic.error.code, authentic.error.message)
        const reply = await node.receiveOffer(offer, remoteIPv4(req))
        if (!reply.ok) return refuseOffer(req, res, reply.error.code, reply.error.message)
        // Only a sender whose offer was valid and is taken or shown to a person is remembered: a
        // fresh key per request with a bad torrent (or for someone else) leaves no trace on disk.
        if (reply.value.decision !== 'declined') await rememberSender(node, offer.sender)
        sendJson(res, 200, reply.value)
      })
    },
    {
      method: 'POST',
      pattern: /^\/v1\/reports$/,
      handle: messageHandler(MAX_REPORT_BYTES, parseReport, refuseReport, async (report, req, res, peer) => {
        if (peer !== report.from) return refuseReport(req, res, 'wrong-sender', `a report for device ${report.from} must come from that device (TLS)`)
        // What the origin keeps per recipient stays within the distribution's size.
        const record = node.registry.get(report.infoHash)
        const fits = record === undefined ? undefined : reportFits(report, record)
        if (fits !== undefined && !fits.ok) return refuseReport(req, res, fits.error.code, fits.error.message)
        const done = await node.receiveReport(report, remoteIPv4(req))
        if (!done.ok) return refuseReport(req, res, done.error.code, done.error.message)
        // The answer is the sender's view of every member, so each member can show the others.
        sendJson(res, 200, done.value)
      })
    },
    {
      method: 'POST',
      pattern: /^\/v1\/channel-removals$/,
      handle: messageHandler(MAX_REMOVALS_BYTES, parseChannelRemovals, refuseRemovals, async (msg, req, res, peer) => {
        // Only the channel's own sender, proven by TLS, may remove what its batches brought.
        if (peer === undefined) return refuseRemovals(req, res, 'wrong-sender', 'removals must come over an authenticated connection')
        const done = await applyRemovals(node.registry.list(), peer, msg)
        if (!done.ok) return refuseRemovals(req, res, done.error.code, done.error.message)
        if (done.value.removed > 0) node.emit('warning', `removed ${done.value.removed} file(s) the sender removed from its watched folder (channel ${msg.channel})`)
        sendJson(res, 200, done.value)
      })
    },
    {
      method: 'POST',
      pattern: /^\/v1\/withdraw$/,
      handle: messageHandler(MAX_WITHDRAWAL_BYTES, parseWithdrawal, refuseWithdrawal, async (msg, req, res, peer) => {
        // Only the distribution's sender, proven by TLS, may take it back (recipient.ts, withdrawnBy).
        if (peer === undefined) return refuseWithdrawal(req, res, 'wrong-sender', 'a withdrawal must come over an authenticated connection')
        const done = await node.receiveWithdrawal(msg.infoHash, peer)
        if (!done.ok) return refuseWithdrawal(req, res, done.error.code, done.error.message)
        sendJson(res, 200, done.value)
      })
    }
  ]
}

/** Keeps the proven sender in known-devices.json, warning first if its name was known under another id. */
async function rememberSender (node: PeerRouteHost, sender: Offer['sender']): Promise<void> {
  const clash = node.known.nameClash(sender.id, sender.name)
  if (clash) node.emit('warning', nameClashWarning(clash, sender.id))
  const remembered = await node.known.remember(rawPublicKey(createPublicKey(sender.publicKey)), sender.name)
  if (!remembered.ok) node.emit('warning', remembered.error.message)
}

/** A route taking one JSON message: bounded body, parsed by `parse` (400 with its reason), then `handle`. */
function messageHandler<T> (
  maxBytes: number,
  parse: (body: unknown) => Result<T>,
  refuse: Refuse,
  handle: (message: T, req: IncomingMessage, res: ServerResponse, peer: string | undefined) => Promise<void>
): Route['handle'] {
  return async ({ req, res, peer }) => {
    const body = await readJsonBody(req, maxBytes)
    if (!body.ok) return refuse(req, res, body.error.code, body.error.message)
    const message = parse(body.value)
    if (!message.ok) return refuse(req, res, message.error.code, message.error.message, 400)
    await handle(message.value, req, res, peer)
  }
}
