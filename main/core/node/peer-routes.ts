// The routes other devices call on the control port (docs/protocol.md, "Device to device").
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Result } from '../result.js'
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
      handle: messageHandler(MAX_OFFER_BYTES, parseOffer, async (offer, req, res) => {
        const reply = await node.receiveOffer(offer, remoteIPv4(req))
        if (!reply.ok) return sendError(res, statusForCode(reply.error.code), reply.error.code, reply.error.message)
        sendJson(res, 200, reply.value)
      })
    },
    {
      method: 'POST',
      pattern: /^\/v1\/reports$/,
      handle: messageHandler(MAX_REPORT_BYTES, parseReport, async (report, req, res) => {
        const done = await node.receiveReport(report, remoteIPv4(req))
        if (!done.ok) return sendError(res, statusForCode(done.error.code), done.error.code, done.error.message)
        sendNoContent(res)
      })
    }
  ]
}

/** A route taking one JSON message: bounded body, parsed by `parse` (400 with its reason), then `handle`. */
function messageHandler<T> (
  maxBytes: number,
  parse: (body: unknown) => Result<T>,
  handle: (message: T, req: IncomingMessage, res: ServerResponse) => Promise<void>
): Route['handle'] {
  return async ({ req, res }) => {
    const body = await readJsonBody(req, maxBytes)
    if (!body.ok) return sendError(res, statusForCode(body.error.code), body.error.code, body.error.message)
    const message = parse(body.value)
    if (!message.ok) return sendError(res, 400, message.error.code, message.error.message)
    await handle(message.value, req, res)
  }
}
