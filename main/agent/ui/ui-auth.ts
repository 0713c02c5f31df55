// Who may use the agent's web UI: a page on this machine that knows the token. The server binds
// 127.0.0.1 only; on top of that the Host header must name it (a DNS-rebinding page would send
// its own host name), a WebSocket's Origin must be the UI itself (another site's page could open
// a socket to loopback), and the token must come as ?token=, as the UI's cookie, or as a bearer.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Cookies ignore ports: each agent's UI (one per port) keeps its own cookie. */
export function cookieName (port: number): string {
  return `swarmdrop_ui_${port}`
}

export function sessionCookie (port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

export function hostAllowed (host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

export function originAllowed (origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

function cookieValue (header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

function sameToken (given: string, want: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(want)
  return a.length === b.length && timingSafeEqual(a, b)
}

export type Gate =
  | { readonly ok: true; readonly viaQuery: boolean }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string }

/** Checks one request (page, asset, upload or WebSocket upgrade) against the rules above. */
export function checkRequest (req: IncomingMessage, url: URL, port: number, token: string, websocket: boolean): Gate {
  if (!hostAllowed(req.headers.host, port)) return { ok: false, status: 403, message: `this UI answers only as 127.0.0.1:${port} or localhost:${port}` }
  if (websocket && req.headers.origin !== undefined && !originAllowed(req.headers.origin, port)) {
    return { ok: false, status: 403, message: 'WebSocket connections are accepted only from the UI page itself' }
  }
  const query = url.searchParams.get('token')
  if (query !== null && sameToken(query, token)) return { ok: true, viaQuery: true }
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ') === true && sameToken(auth.slice(7), token)) return { ok: true, viaQuery: false }
  const cookie = cookieValue(req.headers.cookie, cookieName(port))
  if (cookie !== undefined && sameToken(cookie, token)) return { ok: true, viaQuery: false }
  return { ok: false, status: 401, message: 'open the UI with the address the agent printed (it carries the token)' }
}
