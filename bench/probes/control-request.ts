// CPU per control-channel request, both sides in one process (a real mutual-TLS ControlServer on
// loopback and this device's client), modes interleaved in rounds so load on the machine hits all:
//   fresh  — requestPeer: a new pinned TLS connection per request (what every report was before)
//   kept   — PeerConnections: one kept, pinned connection (what a report is now)
//   context — tls.createSecureContext from the device's PEM key and certificate alone (what every
//             connection also paid before: clientTlsOptions handed key and cert to tls.connect)
// The body is a report of a 1,024-piece distribution (bitfield included), the answer a 10-member
// view, as at N=10 in the table. Usage: npx tsx bench/probes/control-request.ts [requests] [rounds]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import type { Result } from '../../common/result.js'
import { ControlServer } from '../../main/core/control/control-server.js'
import { readJsonBody, sendJson, type Route } from '../../main/core/control/http-json.js'
import { requestPeer, type PeerEndpoint } from '../../main/core/control/peer-client.js'
import { PeerConnections } from '../../main/core/control/peer-connections.js'
import { loadOrCreateIdentity, type Identity } from '../../main/core/identity/identity.js'
import { deviceCredentials } from '../../main/core/tls/device-certificate.js'

async function identity (dir: string): Promise<Identity> {
  const r = await loadOrCreateIdentity(dir)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const requests = Number(process.argv[2] ?? 500)
const rounds = Number(process.argv[3] ?? 3)
const dir = mkdtempSync(join(tmpdir(), 'sd-probe-'))
const [server, client] = [await identity(join(dir, 's')), await identity(join(dir, 'c'))]
const view = { protocol: 2, infoHash: 'ab'.repeat(20), members: Array.from({ length: 10 }, (_, i) => ({ id: 'x'.repeat(52), name: `r${i}`, state: 'downloading', verifiedPieces: 500, verifiedBytes: 65536000, downloadSpeed: 12_000_000, hashFailures: 0, seq: 40, address: `10.0.0.${i}`, btPort: 6881 })) }
const report = { protocol: 2, infoHash: 'ab'.repeat(20), from: client.id, state: 'downloading', pieceCount: 1024, verifiedPieces: 500, verifiedBytes: 65536000, downloadSpeed: 12_000_000, uploadedBytes: 1e8, hashFailures: 0, seq: 40, bitfield: Buffer.alloc(128, 0xa5).toString('base64') }
const route = (path: RegExp): Route => ({
  method: 'POST', pattern: path, handle: async ({ req, res }) => {
    const body = await readJsonBody(req, 8 * 1024 * 1024)
    if (!body.ok) return sendJson(res, 400, { error: body.error })
    sendJson(res, 200, view)
  }
})
const listened = await ControlServer.listen({ port: 0, host: '127.0.0.1', tls: deviceCredentials(server) })
if (!listened.ok) throw new Error(listened.error.message)
listened.value.setRoutes([route(/^\/report$/)])
const target: PeerEndpoint = { id: server.id, name: 'probe', address: '127.0.0.1', controlPort: listened.value.port }
const creds = deviceCredentials(client)
const pool = new PeerConnections(creds)

const modes: Record<string, () => Promise<unknown>> = {
  fresh: async () => requestPeer(creds, target, 'POST', '/report', report),
  kept: async () => pool.request(target, 'POST', '/report', report),
  context: async () => { createSecureContext({ minVersion: 'TLSv1.3', key: creds.keyPem, cert: creds.certPem }); return { ok: true } }
}
const cpu: Record<string, number[]> = {}
for (let round = 0; round < rounds; round++) {
  // Rotated each round: the JIT warms up as a run goes on, which would favour the last mode.
  const order = Object.entries(modes)
  for (const [name, send] of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
    for (let i = 0; i < 50; i++) await send() // warm-up, and the kept connection is made
    const before = process.cpuUsage()
    for (let i = 0; i < requests; i++) {
      const r = await send() as Result<unknown>
      if (!r.ok) throw new Error(r.error.message)
    }
    const used = process.cpuUsage(before)
    ;(cpu[name] ??= []).push((used.user + used.system) / 1000 / requests)
  }
}
for (const [name, per] of Object.entries(cpu)) console.log(`${name.padEnd(8)} CPU ms per request (both sides) or per context, rounds: ${per.map(v => v.toFixed(3)).join(' ')}`)
pool.close()
await listened.value.close()
rmSync(dir, { recursive: true, force: true })
