// Kept connections to other devices' control ports. Every progress report (one a second from each
// recipient) was a fresh mutual-TLS connection: a handshake, one request, close; at N=10 that was
// about 250 handshakes per transfer on the origin. Requests to one device now reuse one pinned
// connection with HTTP keep-alive. The pin is kept as before: a connection is only ever made by
// connectPeer (the key checked at the handshake, nothing sent to another key), kept under the
// device id it proved with the address and port it was made to, and taken again only for that same
// id, address and port. One idle connection is kept per peer, closed after IDLE_MS or on any error
// or close; a request that fails on a kept connection before any answer (the peer closed it in the
// meantime) is sent once more on a fresh, freshly pinned connection, never to another key.
// A kept connection the peer closes while it is idle here is a sign that the peer may have died
// (the server keeps them longer than this side does): `lost` is told.
// TLS session resumption is not used: on a resumed session the client cannot read the server's
// certificate (getPeerX509Certificate is undefined), so the pin could not be checked there.
import type { KeyObject } from 'node:crypto'
import { ok, type Result } from '../../../common/result.js'
import type { DeviceCredentials } from '../tls/device-certificate.js'
import type { JsonResponse } from './http-client.js'
import { connectPeer, DEFAULT_TIMEOUT_MS, exchange, type Exchange, type ExchangeOutcome, type PeerEndpoint, type PinnedConnection, type PeerRequestOptions } from './peer-client.js'

/** How long an idle connection is kept; the control server keeps its side open longer (control-server.ts). */
export const IDLE_MS = 30_000

interface Idle {
  readonly conn: PinnedConnection
  readonly timer: NodeJS.Timeout
  /** The peer ended it (end, close or an error while idle). */
  readonly ended: () => void
}

export class PeerConnections {
  private readonly idle = new Map<string, Idle>()
  private closed = false

  constructor (
    private readonly creds: DeviceCredentials,
    private readonly idleMs = IDLE_MS,
    /** Told the device id of a kept connection its peer ended while it was idle here. */
    private readonly lost: (id: string) => void = () => {}
  ) {}

  /** One JSON request to `target`, on its kept connection if there is one, else on a fresh pinned one (then kept). */
  async request (target: PeerEndpoint, method: 'GET' | 'POST', path: string, body?: unknown, opts: PeerRequestOptions = {}): Promise<Result<JsonResponse>> {
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    const x: Exchange = { method, path, body, deadline, keepAlive: true, ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}) }
    const kept = this.take(target)
    if (kept !== undefined) {
      const tried = await this.send(target, kept, x)
      // Closed by the peer before it answered (an idle timeout, a restart): once more on a fresh connection.
      if (!tried.lostBeforeAnswer || Date.now() >= deadline) return tried.result
    }
    const fresh = await connectPeer(this.creds, target, Math.max(1, deadline - Date.now()))
    if (!fresh.ok) return fresh
    return (await this.send(target, fresh.value, x)).result
  }

  /**
   * Proof that `target` is there and holds its key: an answer on its kept connection (pinned at its
   * handshake), or else a fresh handshake (that connection is then kept for the next request).
   */
  async prove (target: PeerEndpoint, timeoutMs: number): Promise<Result<KeyObject>> {
    const deadline = Date.now() + timeoutMs
    const kept = this.take(target)
    if (kept !== undefined) {
      const tried = await this.send(target, kept, { method: 'GET', path: '/v1/info', deadline, keepAlive: true, maxResponseBytes: 64 * 1024 })
      if (tried.result.ok) return ok(kept.publicKey)
      if (!tried.lostBeforeAnswer || Date.now() >= deadline) return tried.result
    }
    const fresh = await connectPeer(this.creds, target, Math.max(1, deadline - Date.now()))
    if (!fresh.ok) return fresh
    this.keep(target, fresh.value)
    return ok(fresh.value.publicKey)
  }

  /**
   * Closes the idle connections made from addresses this machine no longer has (local-addresses.ts):
   * the next request would wait on one for its deadline; it is made afresh from the address it has now.
   */
  dropLocal (gone: ReadonlySet<string>): void {
    for (const [key, i] of [...this.idle]) {
      const from = i.conn.socket.localAddress
      if (from === undefined || !gone.has(from)) continue
      this.release(key, i)
      i.conn.socket.destroy()
    }
  }

  /** Closes every idle connection and keeps none from now on (the device is stopping). */
  close (): void {
    this.closed = true
    for (const [key, i] of [...this.idle]) {
      this.release(key, i)
      i.conn.socket.destroy()
    }
  }

  /** Connections kept idle now (for tests and the status of this cache). */
  get idleCount (): number { return this.idle.size }

  private async send (target: PeerEndpoint, conn: PinnedConnection, x: Exchange): Promise<ExchangeOutcome> {
    // The HTTP client frees a kept-alive socket on the tick after the answer: kept from there.
    const free = (): void => this.keep(target, conn)
    conn.socket.once('free', free)
    const outcome = await exchange(conn.socket, target, x)
    if (!outcome.result.ok) {
      conn.socket.off('free', free)
      conn.socket.destroy()
    }
    return outcome
  }

  private keep (target: PeerEndpoint, conn: PinnedConnection): void {
    const key = keyOf(target)
    const s = conn.socket
    // One idle connection per peer; a second one (two requests were under way at once) is closed.
    if (this.closed || conn.id !== target.id || s.destroyed || !s.writable || this.idle.has(key)) {
      s.destroy()
      return
    }
    const gone = (): boolean => {
      const i = this.idle.get(key)
      const ours = i?.conn === conn
      if (i !== undefined && ours) this.release(key, i)
      s.destroy()
      return ours
    }
    const timer = setTimeout(gone, this.idleMs)
    timer.unref()
    // The server keeps an idle connection longer than this side (control-server.ts KEEP_ALIVE_MS):
    // one it ends while idle here was ended by a stop, a restart or a death of the peer.
    const ended = (): void => { if (gone()) this.lost(conn.id) }
    // While idle: any sign from the peer (end, close, an error) ends it; and it holds no process open.
    s.on('end', ended)
    s.on('close', ended)
    s.on('error', ended)
    s.unref()
    this.idle.set(key, { conn, timer, ended })
  }

  /** The idle connection kept for exactly this device id, address and port, taken out of the cache. */
  private take (target: PeerEndpoint): PinnedConnection | undefined {
    const key = keyOf(target)
    const i = this.idle.get(key)
    if (i === undefined) return undefined
    this.release(key, i)
    const s = i.conn.socket
    if (i.conn.id !== target.id || s.destroyed || !s.writable) {
      s.destroy()
      return undefined
    }
    s.ref()
    return i.conn
  }

  private release (key: string, i: Idle): void {
    this.idle.delete(key)
    clearTimeout(i.timer)
    const s = i.conn.socket
    s.off('end', i.ended)
    s.off('close', i.ended)
    s.off('error', i.ended)
  }
}

function keyOf (t: PeerEndpoint): string { return `${t.id}\u0000${t.address}\u0000${t.controlPort}` }
