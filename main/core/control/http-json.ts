// Minimal JSON-over-HTTP plumbing for the control channel: bounded request bodies, one error
// shape ({"error":{"code","message"}}), and a small route table. No framework: the surface is
// small and every byte a peer sends is checked by our own parsers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorMessage, fail, ok, type Result } from '../result.js'

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

/** Maps a Failure code to the HTTP status the protocol document promises for it. */
export function statusForCode (code: string): number {
  switch (code) {
    case 'bad-request': case 'invalid': case 'corrupt': case 'unsafe-path': case 'too-large': case 'mismatch': case 'old-protocol': case 'path-too-long': return 400
    case 'unauthorized': return 401
    case 'forbidden': case 'key-mismatch': case 'bad-signature': case 'wrong-sender': case 'unsigned': return 403
    case 'not-found': case 'unknown-distribution': case 'unknown-offer': case 'unknown-device': return 404
    case 'conflict': case 'duplicate': case 'stale': return 409
    case 'no-space': return 507
    default: return 500
  }
}
