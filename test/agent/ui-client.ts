// Reaching an agent's web UI, which binds 127.0.0.1 inside a lab namespace, from the test
// process: a relay inside the namespace listens on a Unix socket (the file system is shared
// across namespaces) and pipes each connection to the UI's loopback port. The test then speaks
// HTTP and WebSocket over that socket with whatever Host, Origin and cookies it means to test.
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import type { Lab, LabHost } from '../lab/netns-lab.js'

/** Args: socketPath, port, maxLifeMs. Prints "listening" once the socket is ready. */
const RELAY = `
const net = require('node:net')
const [path, port, life] = process.argv.slice(1)
setTimeout(() => process.exit(0), Number(life)).unref()
net.createServer((c) => {
  const u = net.connect(Number(port), '127.0.0.1')
  c.pipe(u); u.pipe(c)
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy())
}).listen(path, () => console.log('listening'))
setInterval(() => {}, 1 << 30)
`

export async function startRelay (lab: Lab, host: LabHost, socketPath: string, port: number, maxLifeMs: number): Promise<ChildProcess> {
  const child = lab.spawn(host, process.execPath, ['-e', RELAY, socketPath, String(port), String(maxLifeMs)])
  const out = child.stdout
  if (!out) throw new Error('relay spawned without stdout')
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start within 10 s')), 10_000)
    createInterface({ input: out }).on('line', l => { if (l === 'listening') { clearTimeout(timer); resolve() } })
    child.once('exit', () => { clearTimeout(timer); reject(new Error('the relay exited')) })
  })
  return child
}

export interface Answer { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: Buffer }

export function httpVia (socketPath: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers, timeout: 15_000 }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 15 s`)))
    req.on('error', reject)
    req.end(body)
  })
}

export type WsOutcome = { readonly open: WebSocket } | { readonly refused: number }

/** Opens the UI's WebSocket; resolves with the socket, or with the HTTP status that refused it. */
export function wsVia (socketPath: string, headers: Record<string, string>, origin?: string): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws+unix://${socketPath}:/ui/ws`, { headers, ...(origin !== undefined ? { origin } : {}), handshakeTimeout: 10_000 })
    ws.once('open', () => resolve({ open: ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

/** The UI address an agent printed last (`{"event":"ui","url","port"}` with --json). */
export function uiAddress (lines: readonly string[]): { readonly port: number; readonly token: string; readonly host: string } {
  const line = lines.findLast(l => l.includes('"event":"ui"'))
  if (line === undefined) throw new Error('the agent printed no "ui" line')
  const ui = JSON.parse(line.slice(line.indexOf('{'))) as { url: string; port: number }
  const url = new URL(ui.url)
  if (url.hostname !== '127.0.0.1' || Number(url.port) !== ui.port) throw new Error(`unexpected UI address ${ui.url}`)
  return { port: ui.port, token: url.searchParams.get('token') ?? '', host: `127.0.0.1:${ui.port}` }
}
