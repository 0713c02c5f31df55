// Sends raw bytes as POST /v1/offers (or another device route) to an agent's control port from inside a lab host, the way
// another device does: mutual TLS with the device certificate of the identity in `dataDir`, and
// pinned to the device id the caller means to reach. Lets tests play an attacker that owns a key.
import { resolve } from 'node:path'
import type { LabFixture } from './lab-fixture.js'

export interface PostTarget { readonly id: string; readonly address: string; readonly controlPort: number }
export interface PostOutcome { readonly status: number; readonly body: { error?: { code: string; message: string }; decision?: string } }

const DIST = resolve('dist/main/core')

export async function postOffer (fx: LabFixture, fromHost: number, dataDir: string, to: PostTarget, body: string, path = '/v1/offers'): Promise<PostOutcome> {
  const script = `
    import { readFileSync } from 'node:fs'
    import { request } from 'node:http'
    import { loadOrCreateIdentity } from ${JSON.stringify(`${DIST}/identity/identity.js`)}
    import { deviceCredentials } from ${JSON.stringify(`${DIST}/tls/device-certificate.js`)}
    import { connectPeer } from ${JSON.stringify(`${DIST}/control/peer-client.js`)}
    const print = o => { console.log(JSON.stringify(o)); process.exit(0) }
    const body = readFileSync(0)
    const me = await loadOrCreateIdentity(${JSON.stringify(dataDir)})
    if (!me.ok) print({ status: 0, body: { error: me.error } })
    const conn = await connectPeer(deviceCredentials(me.value), { id: ${JSON.stringify(to.id)}, name: 'target', address: ${JSON.stringify(to.address)}, controlPort: ${to.controlPort} }, 10000)
    if (!conn.ok) print({ status: 0, body: { error: conn.error } })
    const req = request({ method: 'POST', path: ${JSON.stringify(path)}, createConnection: () => conn.value.socket,
      headers: { 'content-type': 'application/json', 'content-length': body.length } }, res => {
      let text = ''
      res.on('data', d => { text += d })
      res.on('end', () => print({ status: res.statusCode, body: JSON.parse(text || '{}') }))
    })
    req.on('error', e => print({ status: 0, body: { error: { code: 'net', message: String(e) } } }))
    req.end(body)`
  const r = await fx.lab.run(fx.host(fromHost), process.execPath, ['--input-type=module', '-e', script], { timeoutMs: 30_000, input: body })
  return JSON.parse(r.stdout.trim()) as PostOutcome
}
