// The control port: one HTTP server per device. Other devices reach its peer routes (offers,
// reports, info); the local agent adds its own routes for the CLI and UI.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorMessage, errnoCode, fail, ok, type Result } from '../result.js'
import { dispatch, sendError, type Route } from './http-json.js'

export class ControlServer {
  private routes: readonly Route[] = []

  private constructor (private readonly server: Server) {}

  static async listen (port: number, host = '0.0.0.0'): Promise<Result<ControlServer>> {
    const server = createServer()
    const self = new ControlServer(server)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      Promise.resolve(dispatch(self.routes, req, res)).catch((err: unknown) => {
        // A handler bug answers 500 with the reason and leaves the server serving everyone else.
        if (!res.headersSent) sendError(res, 500, 'internal', errorMessage(err))
        else res.destroy()
      })
    })
    server.headersTimeout = 15_000
    server.requestTimeout = 120_000
    const listened = await new Promise<Result<void>>(resolve => {
      server.once('error', err => resolve(errnoCode(err) === 'EADDRINUSE'
        ? fail('port-in-use', `control port ${port} is already in use (is another agent running? choose another with --control-port)`)
        : fail('listen', `cannot listen on control port ${port}: ${errorMessage(err)}`)))
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
