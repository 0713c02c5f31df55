// Minimal JSON-over-HTTP plumbing for the control channel: bounded request bodies, one error
// shape ({"error":{"code","message"}}), and a small route table. No framework: the surface is
// small and every byte a peer sends is checked by our own parsers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'

export async function readJsonBody (req: IncomingMessage, maxBytes: number): Promise<Result<unknown>> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) return fail('too-large', `request body is larger than ${maxBytes} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req) {
      const b = chunk as Buffer
      size += b.length
      if (size > maxBytes) {
        req.destroy()
        return fail('too-large', `request body is larger than ${maxBytes} bytes`)
      }
      chunks.push(b)
    }
  } catch (err) {
    return fail('bad-request', `request body could not be read: ${errorMessage(err)}`)
  }
  if (size === 0) return ok(undefined)
  try {
    return ok(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown)
  } catch {
    return fail('bad-request', 'request body is not valid JSON')
  }
}

export function sendJson (res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

export function sendError (res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } })
}

export function sendNoContent (res: ServerResponse): void {
  res.writeHead(204)
  res.end()
}

export interface RouteContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly params: readonly string[]
  readonly url: URL
  /** The caller's device id, proven by its TLS certificate; undefined on the plain local API. */
  readonly peer: string | undefined
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly pattern: RegExp
  readonly handle: (ctx: RouteContext) => Promise<void> | void
}

/** Finds the route for a request: 404 for an unknown path, 405 for a known path and wrong method. */
export function dispatch (routes: readonly Route[], req: IncomingMessage, res: ServerResponse, peer?: string): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://swarmdrop.invalid')
  let pathKnown = false
  for (const r of routes) {
    const m = r.pattern.exec(url.pathname)
    if (!m) continue
    pathKnown = true
    if (r.method !== req.method) continue
    return r.handle({ req, res, url, params: m.slice(1), peer })
  }
  if (pathKnown) return sendError(res, 405, 'method-not-allowed', `${req.method ?? '?'} is not allowed on ${url.pathname}`)
  return sendError(res, 404, 'not-found', `no route ${url.pathname}`)
}

/**
 * Every failure code the core (and the agent's local API) produces, with the HTTP status it
 * travels with; docs/protocol.md, "Error codes", is this table in words. A code missing here
 * answers 500, and a unit test holds every code in core/ to this table.
 */
export const STATUS_OF_CODE: ReadonlyMap<string, number> = new Map([
  // 400: the request, or what it carries, is malformed or breaks a rule of the protocol.
  ...['bad-request', 'bad-frame', 'invalid', 'corrupt', 'bencode', 'too-large', 'unsafe-path', 'path-too-long', 'mismatch', 'old-protocol',
    'bad-name', 'bad-port', 'bad-settings', 'bad-input', 'bad-id', 'bad-info-hash', 'bad-key', 'bad-hello', 'bad-proof', 'no-proof', 'out-of-order', 'upload-failed', 'not-a-folder', 'bad-message', 'usage',
    'self'].map(c => [c, 400] as const),
  ['unauthorized', 401],
  ['length-required', 411],
  // 403: who asks may not (its key, its signature, its address or its membership says so).
  ...['forbidden', 'key-mismatch', 'bad-signature', 'wrong-sender', 'unsigned', 'not-member', 'wrong-address', 'key-changed'].map(c => [c, 403] as const),
  ...['not-found', 'unknown-distribution', 'unknown-offer', 'unknown-device', 'missing'].map(c => [c, 404] as const),
  // 409: it conflicts with the state things are in (already there, changed since, device running).
  ...['conflict', 'duplicate', 'stale', 'source-changed', 'changed', 'size-mismatch', 'device-running', 'started', 'name-taken'].map(c => [c, 409] as const),
  // 422: well formed, but what it names cannot be used (an empty or unreadable source, a failed check).
  ...['empty', 'not-regular', 'too-many', 'unreadable', 'gone', 'no-folder', 'not-writable', 'hash', 'verify'].map(c => [c, 422] as const),
  ['too-many-offers', 429],
  ['unsupported', 501],
  // 502/504: another device did not answer, or answered with something unusable.
  ...['unreachable', 'agent-unreachable', 'bad-response', 'not-swarmdrop'].map(c => [c, 502] as const),
  // 503: this device cannot do it now (starting, stopping, a port or a patch missing, a job cancelled).
  ...['closed', 'aborted', 'device-starting', 'port-in-use', 'listen', 'unpatched', 'add', 'no-identity', 'not-private', 'starting', 'engine-start', 'engine-restarting', 'service-manager'].map(c => [c, 503] as const),
  ['timeout', 504],
  ...['no-space', 'write-failed', 'rename', 'unwritable'].map(c => [c, 507] as const),
  // 500: the device failed on its own side (a bug, a worker thread that died).
  ...['internal', 'worker-failed', 'progress-failed'].map(c => [c, 500] as const)
])

/** Maps a Failure code to the HTTP status the protocol document promises for it. */
export function statusForCode (code: string): number {
  return STATUS_OF_CODE.get(code) ?? 500
}
