// A JSON-over-HTTP listener with a route table. The control port is one, over mutual TLS: other
// devices reach its peer routes (offers, reports, info) and every request carries the device id
// the caller's certificate proved. The agent's local API is another, plain HTTP on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { TLSSocket } from 'node:tls'
import { errorMessage, errnoCode, fail, ok, type Result } from '../../../common/result.js'
import { deviceIdOfCertificate, type DeviceCredentials } from '../tls/device-certificate.js'
import { serverTlsOptions } from '../tls/tls-options.js'
import { dispatch, sendError, type Route } from './http-json.js'
import { IDLE_MS } from './peer-connections.js'
import { RefusalLog } from './refusal-log.js'

export interface ConnectionLimits {
  /** Open connections from one remote address (TLS handshakes under way included). */
  readonly perAddress: number
  readonly total: number
}

/**
 * The control port's: a device keeps one connection to another and opens a second only while two
 * requests are under way at once (peer-connections.ts), so 16 at once from one address is far above
 * honest use and keeps one machine from holding them all.
 */
export const CONTROL_PORT_LIMITS: ConnectionLimits = { perAddress: 16, total: 256 }

/**
 * How long an idle kept connection stays open here: longer than a client keeps it (IDLE_MS, 30 s),
 * so it is the client that closes it, not this side while a request is on its way.
 */
export const KEEP_ALIVE_MS = 40_000

export interface ListenOptions {
  readonly port: number
  readonly host?: string
  /** Serve over mutual TLS with these credentials and refuse callers without a device certificate. */
  readonly tls?: DeviceCredentials
  /** Names the listener in errors ("control port", "local API port"). */
  readonly what?: string
  /** Defaults to CONTROL_PORT_LIMITS with `tls`, none otherwise (the loopback local API). */
  readonly limits?: ConnectionLimits
  /**
   * How long a device keeps an idle connection to this one before it closes it (IDLE_MS of
   * peer-connections.ts): one it closes sooner after its last answer did not close it for idleness.
   */
  readonly clientIdleMs?: number
}

export class ControlServer {
  private routes: readonly Route[] = []
  private warn: (message: string) => void = () => {}
  /** Refusals go to the log once per cause and address per minute (refusal-log.ts). */
  readonly refusals = new RefusalLog(m => this.warn(m))
  /** Open connections per remote address, and in all (when limits apply). */
  private readonly open = new Map<string, number>()
  private openTotal = 0
  /** Kept connections waiting for their next request, least recently used first (when limits apply). */
  private readonly idle = new Set<Socket>()
  private readonly watched = new WeakSet<Socket>()
  /** When each connection carrying a proven device's requests was last in use (a request began or was answered). */
  private readonly lastUse = new WeakMap<Socket, number>()
  private lost: (id: string) => void = () => {}

  private constructor (private readonly server: Server) {}

  static async listen (opts: ListenOptions): Promise<Result<ControlServer>> {
    const { port, host = '0.0.0.0', tls, what = 'control port' } = opts
    // https.Server is an http.Server underneath (same request events and connection tracking).
    const server = (tls ? createTlsServer(serverTlsOptions(tls)) : createServer()) as Server
    const self = new ControlServer(server)
    const limits = opts.limits ?? (tls ? CONTROL_PORT_LIMITS : undefined)
    // Before TLS sees the socket: a refused connection costs no handshake.
    if (limits) {
      server.prependListener('connection', (socket: Socket) => self.admit(socket, limits, what))
      server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => self.track(req.socket, res))
    }
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const peer = tls ? peerDeviceId(req) : undefined
      if (tls && peer === undefined) {
        const message = 'the control channel needs a TLS client certificate holding an Ed25519 device key'
        const address = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown'
        self.refusals.refused('unauthorized', address, `${what}: refused a request from ${address}: ${message}`)
        // Without a certificate no request on this connection can be served: it is not kept open.
        res.setHeader('connection', 'close')
        sendError(res, 401, 'unauthorized', message)
        return
      }
      if (peer !== undefined) self.follow(req.socket, peer, res, opts.clientIdleMs ?? IDLE_MS)
      Promise.resolve(dispatch(self.routes, req, res, peer)).catch((err: unknown) => {
        // A handler bug answers 500 with the reason and leaves the server serving everyone else.
        if (!res.headersSent) sendError(res, 500, 'internal', errorMessage(err))
        else res.destroy()
      })
    })
    // A failed handshake (no TLS, wrong version) only concerns that connection.
    server.on('tlsClientError', () => {})
    server.headersTimeout = 15_000
    server.requestTimeout = 120_000
    if (tls) server.keepAliveTimeout = KEEP_ALIVE_MS
    const listened = await new Promise<Result<void>>(resolve => {
      server.once('error', err => resolve(errnoCode(err) === 'EADDRINUSE'
        ? fail('port-in-use', `${what} ${port} is already in use (is another agent running? choose another with --control-port)`)
        : fail('listen', `cannot listen on ${what} ${port}: ${errorMessage(err)}`)))
      server.listen(port, host, () => resolve(ok(undefined)))
    })
    if (!listened.ok) return listened
    return ok(self)
  }

  get port (): number { return (this.server.address() as AddressInfo).port }

  setRoutes (routes: readonly Route[]): void { this.routes = routes }

  /** Where refusals are logged (the device's warnings). */
  onWarning (warn: (message: string) => void): void { this.warn = warn }

  /** Told the device id of a connection that device ended abruptly (see follow); the node asks the LAN about it. */
  onPeerLost (lost: (id: string) => void): void { this.lost = lost }

  /**
   * Follows a connection carrying `id`'s requests. When that device ends it while it still kept it
   * (sooner after its last answer than it closes an idle one), or the connection breaks, its
   * process may have died: the kernel closes a killed process's sockets at once. One this side
   * ended first (an answer with `connection: close`) is no sign; nor is one this side destroyed (a
   * timeout, the limit, a stop), which emits neither 'end' nor an error.
   */
  private follow (socket: Socket, id: string, res: ServerResponse, clientIdleMs: number): void {
    const first = !this.lastUse.has(socket)
    this.lastUse.set(socket, Date.now())
    res.once('finish', () => { this.lastUse.set(socket, Date.now()) })
    if (!first) return
    let done = false
    const ended = (): void => {
      if (done || socket.writableEnded) return
      done = true
      if (Date.now() - (this.lastUse.get(socket) ?? 0) < clientIdleMs) this.lost(id)
    }
    // Before the HTTP server's own 'end' handler, which ends this side in turn.
    socket.prependOnceListener('end', ended)
    socket.once('error', ended)
  }

  /** Counts `socket` against the limits, or closes it at once. */
  private admit (socket: Socket, limits: ConnectionLimits, what: string): void {
    const address = socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown'
    const mine = this.open.get(address) ?? 0
    if (mine >= limits.perAddress) {
      socket.destroy()
      this.refusals.refused('connections-per-address', address, `${what}: refused a connection from ${address}: ${mine} already open from that address (at most ${limits.perAddress})`)
      return
    }
    // At the limit, a kept connection waiting for its next request makes room (its device simply
    // connects again): devices beyond the limit then cost a handshake per request, as before kept
    // connections, instead of never getting in. Until the closed one is gone the count reads one more.
    if (this.openTotal >= limits.total && !this.closeOldestIdle()) {
      socket.destroy()
      this.refusals.refused('connections-total', address, `${what}: refused a connection from ${address}: ${this.openTotal} connections already open (at most ${limits.total})`)
      return
    }
    this.open.set(address, mine + 1)
    this.openTotal++
    socket.once('close', () => {
      this.openTotal--
      const left = (this.open.get(address) ?? 1) - 1
      if (left > 0) this.open.set(address, left)
      else this.open.delete(address)
    })
  }

  /** `socket` carries a request now, and is idle (and last in line to be closed) once it is answered. */
  private track (socket: Socket, res: ServerResponse): void {
    this.idle.delete(socket)
    res.once('finish', () => {
      if (socket.destroyed) return
      this.idle.add(socket)
      if (this.watched.has(socket)) return
      this.watched.add(socket)
      socket.once('close', () => this.idle.delete(socket))
    })
  }

  private closeOldestIdle (): boolean {
    const oldest = this.idle.values().next().value
    if (oldest === undefined) return false
    this.idle.delete(oldest)
    oldest.destroy()
    return true
  }

  async close (): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }
}

/** The device id each connection's certificate proved, read once per connection (kept connections carry many requests). */
const provenIds = new WeakMap<TLSSocket, string | undefined>()

function peerDeviceId (req: IncomingMessage): string | undefined {
  const s = req.socket
  if (!(s instanceof TLSSocket)) return undefined
  if (provenIds.has(s)) return provenIds.get(s)
  const id = deviceIdOfCertificate(s.getPeerX509Certificate())
  provenIds.set(s, id)
  return id
}
