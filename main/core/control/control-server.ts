// A JSON-over-HTTP listener with a route table. The control port is one, over mutual TLS: other
// devices reach its peer routes (offers, reports, info) and every request carries the device id
// the caller's certificate proved. The agent's local API is another, plain HTTP on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { TLSSocket } from 'node:tls'
import { errorMessage, errnoCode, fail, ok, type Result } from '../result.js'
import { deviceIdOfCertificate, type DeviceCredentials } from '../tls/device-certificate.js'
import { serverTlsOptions } from '../tls/tls-options.js'
import { dispatch, sendError, type Route } from './http-json.js'

export interface ListenOptions {
  readonly port: number
  readonly host?: string
  /** Serve over mutual TLS with these credentials and refuse callers without a device certificate. */
  readonly tls?: DeviceCredentials
  /** Names the listener in errors ("control port", "local API port"). */
  readonly what?: string
}

export class ControlServer {
  private routes: readonly Route[] = []

  private constructor (private readonly server: Server) {}

  static async listen (opts: ListenOptions): Promise<Result<ControlServer>> {
    const { port, host = '0.0.0.0', tls, what = 'control port' } = opts
    // https.Server is an http.Server underneath (same request events and connection tracking).
    const server = (tls ? createTlsServer(serverTlsOptions(tls)) : createServer()) as Server
    const self = new ControlServer(server)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const peer = tls ? peerDeviceId(req) : undefined
      if (tls && peer === undefined) {
        sendError(res, 401, 'unauthorized', 'the control channel needs a TLS client certificate holding an Ed25519 device key')
        return
      }
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

  async close (): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }
}

function peerDeviceId (req: IncomingMessage): string | undefined {
  const s = req.socket
  return s instanceof TLSSocket ? deviceIdOfCertificate(s.getPeerX509Certificate()) : undefined
}
