// `swarmdrop agent --ui`: the app's UI for machines without a desktop, served on 127.0.0.1 only
// and only to a page holding the token (ui-auth.ts). Routes: the renderer's files (GET), the
// upload for the drop zone (PUT /ui/upload), and the WebSocket that carries AppState and commands.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { AppService } from '../../core/app/app-service.js'
import { newUiToken } from '../../core/app/ui-identity.js'
import { answerUpload, sweepUploads } from '../../core/app/upload.js'
import { errorMessage, errnoCode, fail, ok, type Result } from '../../../common/result.js'
import { AGENT_STOPPING_CLOSE } from '../../../common/wire.js'
import { checkRequest, sessionCookie } from './ui-auth.js'
import { uiSocketServer } from './ui-socket.js'
import { baseHeaders, defaultRendererDir, sendText, serveStatic } from './static-files.js'

export interface UiServerOptions {
  readonly service: AppService
  readonly dataDir: string
  /** 0 = any free port. */
  readonly port: number
  /** The token to require; a fresh one when absent. */
  readonly token?: string
  /** Serve this folder instead of the built renderer (tests, development). */
  readonly rendererDir?: string
}

export interface UiServer {
  readonly port: number
  readonly token: string
  /** The address to open, token included. */
  readonly url: string
  close (): Promise<void>
}

export const WS_PATH = '/ui/ws'
export const UPLOAD_PATH = '/ui/upload'

/** How long a stopping agent waits for its pages to answer its goodbye (ms). */
const CLOSE_WAIT_MS = 500

function sendJson (res: ServerResponse, status: number, port: number, body: unknown, extra: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...baseHeaders(port), ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function refuseUpgrade (socket: Duplex, status: number, message: string): void {
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`)
}

export async function startUiServer (opts: UiServerOptions): Promise<Result<UiServer>> {
  const token = opts.token ?? newUiToken()
  // An upload the agent was killed in the middle of is never finished, and a copy no distribution
  // shares is out of every window's reach: both go before new uploads come.
  await sweepUploads(opts.dataDir, opts.service.state().distributions.map(d => d.path))
  const dir = opts.rendererDir ?? await defaultRendererDir()
  const server = createServer()
  const wss = uiSocketServer(opts.service)
  let port = 0
  const urlOf = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'http://127.0.0.1')

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = urlOf(req)
    const gate = checkRequest(req, url, port, token, false)
    if (!gate.ok) return sendText(res, gate.status, port, gate.message)
    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'PUT') return sendText(res, 405, port, 'use PUT', { allow: 'PUT' })
      const answer = await answerUpload(req, url, opts.dataDir)
      // Refused before its body was read (no space, a bad name): the connection closes, so the
      // browser stops sending bytes that would only be thrown away and shows the answer now.
      return sendJson(res, answer.status, port, answer.body, req.complete ? {} : { connection: 'close' })
    }
    if (url.pathname === WS_PATH) return sendText(res, 426, port, 'this address takes WebSocket connections')
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, port, 'use GET', { allow: 'GET, HEAD' })
    // The first load carries ?token=; the cookie then covers the page's assets and its socket.
    const cookie = gate.viaQuery ? { 'set-cookie': sessionCookie(port, token) } : undefined
    return serveStatic(res, dir, url.pathname, port, cookie)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, port, `internal error: ${errorMessage(err)}`)
      else res.destroy()
    })
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = urlOf(req)
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'no WebSocket here')
    const gate = checkRequest(req, url, port, token, true)
    if (!gate.ok) return refuseUpgrade(socket, gate.status, gate.message)
    wss.handleUpgrade(req, socket, head, ws => wss.emit('connection', ws, req))
  })
  server.headersTimeout = 15_000
  // Uploads of big files take long: no overall request timeout, but idle sockets are closed.
  server.requestTimeout = 0
  server.timeout = 120_000

  const listened = await new Promise<Result<void>>(resolve => {
    server.once('error', err => resolve(errnoCode(err) === 'EADDRINUSE'
      ? fail('port-in-use', `UI port ${opts.port} is already in use (choose another with --ui-port)`)
      : fail('listen', `cannot serve the UI on port ${opts.port}: ${errorMessage(err)}`)))
    // Loopback only: the UI drives the device, it is never offered to the network.
    server.listen(opts.port, '127.0.0.1', () => resolve(ok(undefined)))
  })
  if (!listened.ok) return listened
  port = (server.address() as AddressInfo).port
  return ok({
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      // A goodbye first, so each page can say the agent was stopped rather than killed; a page
      // that does not answer within CLOSE_WAIT_MS is cut off.
      const pages = [...wss.clients]
      const closed = pages.map(c => new Promise<void>(resolve => { c.once('close', () => resolve()) }))
      for (const c of pages) c.close(AGENT_STOPPING_CLOSE, 'the agent is stopping')
      await Promise.race([Promise.all(closed), new Promise<void>(resolve => setTimeout(resolve, CLOSE_WAIT_MS).unref())])
      for (const c of wss.clients) c.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
}
