// The control-port route of pairing (docs/protocol.md, "Pairing by address"): a device that paired
// with this one says where it listens, and this one dials it back (pinned to the caller's key) to
// list it as well. The caller's id is its TLS certificate's; its address is where the call came from.
import { fail, ok, type Result } from '../../../common/result.js'
import { readJsonBody, sendError, sendJson, statusForCode, type Route } from '../control/http-json.js'
import { remoteIPv4 } from '../node/peer-routes.js'
import type { Pairings } from './pairings.js'

const MAX_BODY_BYTES = 1024

function controlPortOf (body: unknown): Result<number> {
  const port = typeof body === 'object' && body !== null ? (body as { controlPort?: unknown }).controlPort : undefined
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535
    ? ok(port)
    : fail('bad-request', 'paired: controlPort must be a whole number from 1 to 65535')
}

export function pairingRoutes (pairings: Pairings): Route[] {
  return [{
    method: 'POST',
    pattern: /^\/v1\/paired$/,
    handle: async ({ req, res, peer }) => {
      if (peer === undefined) return sendError(res, 401, 'unauthorized', 'pairing needs a device certificate')
      const body = await readJsonBody(req, MAX_BODY_BYTES)
      if (!body.ok) return sendError(res, statusForCode(body.error.code), body.error.code, body.error.message)
      const port = controlPortOf(body.value)
      if (!port.ok) return sendError(res, 400, port.error.code, port.error.message)
      const learned = await pairings.learn(peer, remoteIPv4(req), port.value)
      if (!learned.ok) return sendError(res, statusForCode(learned.error.code), learned.error.code, learned.error.message)
      sendJson(res, 200, { learned: true })
    }
  }]
}
