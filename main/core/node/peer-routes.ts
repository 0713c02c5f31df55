// The routes other devices call on the control port (docs/protocol.md, "Device to device").
import type { IncomingMessage } from 'node:http'
import { readJsonBody, sendError, sendJson, sendNoContent, statusForCode, type Route } from '../control/http-json.js'
import { parseOffer, parseReport } from '../protocol/messages.js'
import type { SwarmNode } from './swarm-node.js'

const MAX_OFFER_BYTES = 150 * 1024 * 1024
const MAX_REPORT_BYTES = 8 * 1024 * 1024

export function remoteIPv4 (req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? ''
  return a.startsWith('::ffff:') ? a.slice(7) : a
}

export function peerRoutes (node: SwarmNode): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/info$/,
      handle: ({ res }) => sendJson(res, 200, node.info())
    },
    {
      method: 'POST',
      pattern: /^\/v1\/offers$/,
      handle: async ({ req, res }) => {
        const body = await readJsonBody(req, MAX_OFFER_BYTES)
        if (!body.ok) return sendError(res, statusForCode(body.error.code), body.error.code, body.error.message)
        const offer = parseOffer(body.value)
        if (!offer.ok) return sendError(res, 400, offer.error.code, offer.error.message)
        const reply = await node.receiveOffer(offer.value, remoteIPv4(req))
        if (!reply.ok) return sendError(res, statusForCode(reply.error.code), reply.error.code, reply.error.message)
        sendJson(res, 200, reply.value)
      }
    },
    {
      method: 'POST',
      pattern: /^\/v1\/reports$/,
      handle: async ({ req, res }) => {
        const body = await readJsonBody(req, MAX_REPORT_BYTES)
        if (!body.ok) return sendError(res, statusForCode(body.error.code), body.error.code, body.error.message)
        const report = parseReport(body.value)
        if (!report.ok) return sendError(res, 400, report.error.code, report.error.message)
        const done = await node.receiveReport(report.value, remoteIPv4(req))
        if (!done.ok) return sendError(res, statusForCode(done.error.code), done.error.code, done.error.message)
        sendNoContent(res)
      }
    }
  ]
}
