// Kept control connections (peer-connections.ts) against a real mutual-TLS control server: requests
// to one device share one pinned connection, a kept connection is never used for another device id,
// a connection the server dropped is replaced once (never sent to another key), an impostor on the
// same address after a reconnect is refused at the handshake, and the server keeps an idle
// connection open longer than Node's default 5 s, makes room at its limit by closing the least recently
// used idle connection, and closes a caller's connection after its 401. The client builds its
// SecureContext once. A connection a device ends abruptly (a killed process's sockets close at
// once) is told to the node on either side; one closed for idleness, or after `connection: close`,
// is not.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ControlServer, type ConnectionLimits } from '../../../main/core/control/control-server.js'
import { sendJson, type Route } from '../../../main/core/control/http-json.js'
import { connectPeer, exchange, requestPeer, type PeerEndpoint } from '../../../main/core/control/peer-client.js'
import { PeerConnections } from '../../../main/core/control/peer-connections.js'
import { loadOrCreateIdentity, type Identity } from '../../../main/core/identity/identity.js'
import { deviceCredentials, type DeviceCredentials } from '../../../main/core/tls/device-certificate.js'
import { clientTlsOptions } from '../../../main/core/tls/tls-options.js'

const dirs: string[] = []
async function identity (): Promise<Identity> {
  const d = mkdtempSync(join(tmpdir(), 'sd-kept-'))
  dirs.push(d)
  const r = await loadOrCreateIdentity(d)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A control server whose routes note each request's connection (a Set of sockets = connections that carried requests). */
interface Served { readonly server: ControlServer; readonly sockets: Set<Socket>; readonly requests: { n: number } }

async function serve (creds: DeviceCredentials, port = 0, extra: readonly Route[] = [], limits?: ConnectionLimits, clientIdleMs?: number): Promise<Served> {
  const listened = await ControlServer.listen({ port, host: '127.0.0.1', tls: creds, ...(limits ? { limits } : {}), ...(clientIdleMs !== undefined ? { clientIdleMs } : {}) })
  if (!listened.ok) throw new Error(listened.error.message)
  const sockets = new Set<Socket>()
  const requests = { n: 0 }
  const note = (s: Socket): void => { sockets.add(s); requests.n++ }
  listened.value.setRoutes([
    ...extra.map(r => ({ ...r, handle: (ctx: Parameters<Route['handle']>[0]) => { note(ctx.req.socket); return r.handle(ctx) } })),
    { method: 'GET', pattern: /^\/v1\/info$/, handle: ({ req, res }) => { note(req.socket); sendJson(res, 200, { id: creds.id }) } },
    { method: 'POST', pattern: /^\/echo$/, handle: ({ req, res, peer }) => { note(req.socket); sendJson(res, 200, { you: peer }) } }
  ])
  return { server: listened.value, sockets, requests }
}

let a: Identity
let caller: Identity
let stranger: Identity
const open: Array<{ close: () => unknown }> = []
beforeAll(async () => { [a, caller, stranger] = await Promise.all([identity(), identity(), identity()]) })
afterEach(async () => { for (const o of open.splice(0)) await o.close() })
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function endpoint (id: string, port: number): PeerEndpoint { return { id, name: 'lab-07', address: '127.0.0.1', controlPort: port } }

function pool (idleMs?: number, who: Identity = caller, lost?: (id: string) => void): PeerConnections {
  const p = new PeerConnections(deviceCredentials(who), idleMs, lost)
  open.push(p)
  return p
}

const tick = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function until (what: string, check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await tick(20)
  }
}

describe('kept control connections', () => {
  it('reuses one pinned connection for requests to the same device', async () => {
    const s = await serve(deviceCredentials(a))
    open.push(s.server)
    const p = pool()
    for (let i = 0; i < 5; i++) {
      const r = await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', { i })
      expect(r.ok && r.value.body).toEqual({ you: caller.id })
      await tick(5)
    }
    const proven = await p.prove(endpoint(a.id, s.server.port), 3_000)
    expect(proven.ok).toBe(true)
    expect(s.requests.n).toBe(6)
    expect(s.sockets.size).toBe(1)
    expect(p.idleCount).toBe(1)
  })

  it('never uses a kept connection for another device id (that one is refused at its own handshake)', async () => {
    const s = await serve(deviceCredentials(a))
    open.push(s.server)
    const p = pool()
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    expect(p.idleCount).toBe(1)
    const other = await p.request(endpoint(stranger.id, s.server.port), 'POST', '/echo', {})
    expect(!other.ok && other.error.code).toBe('key-mismatch')
    expect(s.requests.n).toBe(1)
    // The kept one is still there, still for `a` only.
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    expect(s.sockets.size).toBe(1)
  })

  it('closes an idle connection after its idle time and pins the next one afresh', async () => {
    const s = await serve(deviceCredentials(a))
    open.push(s.server)
    const p = pool(150)
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    expect(p.idleCount).toBe(1)
    await tick(400)
    expect(p.idleCount).toBe(0)
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    expect(s.sockets.size).toBe(2)
  })

  it('sends a request once more on a fresh connection when the server dropped the kept one, and only once', async () => {
    // The second request on any connection is dropped unanswered (as a server that closed the
    // connection just as the request went out); /drop always is.
    const perSocket = new WeakMap<Socket, number>()
    const s = await serve(deviceCredentials(a), 0, [
      { method: 'POST', pattern: /^\/flaky$/, handle: ({ req, res }) => {
        const n = (perSocket.get(req.socket) ?? 0) + 1
        perSocket.set(req.socket, n)
        if (n >= 2) req.socket.destroy()
        else sendJson(res, 200, { n })
      } },
      { method: 'POST', pattern: /^\/drop$/, handle: ({ req }) => { req.socket.destroy() } }
    ])
    open.push(s.server)
    const p = pool()
    const t = endpoint(a.id, s.server.port)
    expect((await p.request(t, 'POST', '/flaky', {})).ok).toBe(true)
    await tick(5)
    const again = await p.request(t, 'POST', '/flaky', {})
    expect(again.ok && again.value.body).toEqual({ n: 1 })
    expect(s.requests.n).toBe(3)
    expect(s.sockets.size).toBe(2)
    await tick(5)
    const dropped = await p.request(t, 'POST', '/drop', {})
    expect(!dropped.ok && dropped.error.code).toBe('unreachable')
    // The kept connection, then one fresh one: not a third.
    expect(s.requests.n).toBe(5)
    expect(s.sockets.size).toBe(3)
  })

  it('refuses an impostor that took over the address after the kept connection closed', async () => {
    const s = await serve(deviceCredentials(a))
    const port = s.server.port
    const p = pool()
    expect((await p.request(endpoint(a.id, port), 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    expect(p.idleCount).toBe(1)
    await s.server.close()
    const impostor = await serve(deviceCredentials(stranger), port)
    open.push(impostor.server)
    const r = await p.request(endpoint(a.id, port), 'POST', '/echo', { secret: 1 })
    expect(!r.ok && r.error.code).toBe('key-mismatch')
    expect(impostor.requests.n).toBe(0)
    const probed = await p.prove(endpoint(a.id, port), 3_000)
    expect(!probed.ok && probed.error.code).toBe('key-mismatch')
  })

  it('keeps an idle connection open on the server longer than Node\'s default 5 s', async () => {
    const s = await serve(deviceCredentials(a))
    open.push(s.server)
    const p = pool()
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    await tick(6_000)
    expect(p.idleCount).toBe(1)
    expect((await p.request(endpoint(a.id, s.server.port), 'POST', '/echo', {})).ok).toBe(true)
    expect(s.sockets.size).toBe(1)
  }, 15_000)

  it('at its connection limit the server closes the least recently used idle connection instead of refusing', async () => {
    const s = await serve(deviceCredentials(a), 0, [], { perAddress: 16, total: 2 })
    open.push(s.server)
    const t = endpoint(a.id, s.server.port)
    const [p1, p2, p3] = [pool(), pool(undefined, stranger), pool(undefined, a)]
    expect((await p1.request(t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    expect((await p2.request(t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    // Two kept connections fill the server: a third device still gets in, p1's idle one makes room.
    const third = await p3.request(t, 'POST', '/echo', {})
    expect(third.ok && third.value.body).toEqual({ you: a.id })
    await tick(50)
    expect(p1.idleCount).toBe(0)
    expect(p2.idleCount).toBe(1)
    // And p1 simply connects again.
    expect((await p1.request(t, 'POST', '/echo', {})).ok).toBe(true)
    expect(s.sockets.size).toBe(4)
  })

  it('does not keep a connection whose caller has no device certificate open after its 401', async () => {
    const s = await serve(deviceCredentials(a))
    open.push(s.server)
    const { connect } = await import('node:tls')
    const ended = await new Promise<string>((resolve, reject) => {
      const c = connect({ host: '127.0.0.1', port: s.server.port, rejectUnauthorized: false, minVersion: 'TLSv1.3' }, () => {
        c.write('GET /v1/info HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
      })
      let out = ''
      const timer = setTimeout(() => { c.destroy(); resolve(`still open: ${out}`) }, 3_000)
      c.on('data', (d: Buffer) => { out += d.toString() })
      c.on('end', () => { clearTimeout(timer); resolve(out) })
      c.on('error', reject)
    })
    expect(ended).toMatch(/^HTTP\/1\.1 401/)
    expect(ended.toLowerCase()).toContain('connection: close')
    expect(s.requests.n).toBe(0)
  })

  it('builds one client SecureContext per credentials', () => {
    const creds = deviceCredentials(caller)
    const first = clientTlsOptions(creds).secureContext
    expect(first).toBeDefined()
    expect(clientTlsOptions(creds).secureContext).toBe(first)
    expect(clientTlsOptions(deviceCredentials(caller)).secureContext).not.toBe(first)
  })
})

describe('a connection a device ends abruptly', () => {
  it('is told on the server when the device ends a connection it kept, not when it closes an idle one or asked for close', async () => {
    const idleMs = 200
    const s = await serve(deviceCredentials(a), 0, [], undefined, idleMs)
    open.push(s.server)
    const lost: string[] = []
    s.server.onPeerLost(id => lost.push(id))
    const t = endpoint(a.id, s.server.port)
    // Closed by the client after its idle time, as every kept connection ends in the end.
    const p = pool(idleMs)
    expect((await p.request(t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(idleMs + 300)
    expect(p.idleCount).toBe(0)
    // One request with `connection: close` (a pairing's dial): the server ends it first.
    expect((await requestPeer(deviceCredentials(caller), t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(100)
    expect(lost).toEqual([])
    // Kept after an answer, then closed at once: what the kernel does with a killed process's sockets.
    const conn = await connectPeer(deviceCredentials(stranger), t)
    if (!conn.ok) throw new Error(conn.error.message)
    const answered = await exchange(conn.value.socket, t, { method: 'POST', path: '/echo', body: {}, deadline: Date.now() + 3_000, keepAlive: true })
    expect(answered.result.ok && answered.result.value.body).toEqual({ you: stranger.id })
    conn.value.socket.destroy()
    await until('the server to tell of the lost connection', () => lost.length > 0)
    await tick(100)
    expect(lost).toEqual([stranger.id])
  })

  it('is told on the client when the server ends a kept connection while it is idle here, not at the client\'s own idle time', async () => {
    const s = await serve(deviceCredentials(a))
    const lost: string[] = []
    const t = endpoint(a.id, s.server.port)
    const quiet = pool(100, caller, id => lost.push(id))
    expect((await quiet.request(t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(300)
    expect(quiet.idleCount).toBe(0)
    expect(lost).toEqual([])
    const p = pool(undefined, caller, id => lost.push(id))
    expect((await p.request(t, 'POST', '/echo', {})).ok).toBe(true)
    await tick(5)
    expect(p.idleCount).toBe(1)
    // The device stops (or dies): its side of every connection closes.
    await s.server.close()
    await until('the client to tell of the lost connection', () => lost.length > 0)
    await tick(100)
    expect(lost).toEqual([a.id])
    expect(p.idleCount).toBe(0)
  })
})
