// The device certificate: parsed back by Node (and by openssl when installed), its key is the
// device key, it is self-signed by it, and a real TLS 1.3 handshake between two devices shows each
// side the other's device id; a client expecting one id and meeting another key sends nothing.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { X509Certificate } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ControlServer } from '../../../main/core/control/control-server.js'
import { sendJson } from '../../../main/core/control/http-json.js'
import { connectPeer, requestPeer } from '../../../main/core/control/peer-client.js'
import { shortFingerprint } from '../../../main/core/identity/device-id.js'
import { loadOrCreateIdentity, rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import { deviceCertificateDer, deviceCredentials, deviceIdOfCertificate } from '../../../main/core/tls/device-certificate.js'

const dirs: string[] = []
async function identity (): Promise<Identity> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-tls-'))
  dirs.push(dir)
  const r = await loadOrCreateIdentity(dir)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

let a: Identity
let b: Identity
let server: ControlServer
const seen: Array<string | undefined> = []

beforeAll(async () => {
  a = await identity()
  b = await identity()
  const listened = await ControlServer.listen({ port: 0, host: '127.0.0.1', tls: deviceCredentials(a) })
  if (!listened.ok) throw new Error(listened.error.message)
  server = listened.value
  server.setRoutes([
    { method: 'GET', pattern: /^\/who$/, handle: ({ res, peer }) => { seen.push(peer); sendJson(res, 200, { you: peer }) } },
    { method: 'POST', pattern: /^\/who$/, handle: ({ res, peer }) => { seen.push(peer); sendJson(res, 200, { you: peer }) } }
  ])
})

afterAll(async () => {
  await server.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('device certificate', () => {
  it('parses as X.509 v3 with CN = device id, the device key, and a valid self-signature', () => {
    const cert = new X509Certificate(deviceCertificateDer(a))
    expect(cert.subject).toBe(`CN=${a.id}`)
    expect(cert.issuer).toBe(`CN=${a.id}`)
    expect(cert.publicKey.asymmetricKeyType).toBe('ed25519')
    expect(rawPublicKey(cert.publicKey).equals(rawPublicKey(a.publicKey))).toBe(true)
    expect(cert.verify(a.publicKey)).toBe(true)
    expect(cert.verify(b.publicKey)).toBe(false)
    expect(cert.checkIssued(cert)).toBe(true)
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(9999)
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now())
    expect(deviceIdOfCertificate(cert)).toBe(a.id)
  })

  it('a certificate tampered after signing no longer verifies', () => {
    const der = deviceCertificateDer(a)
    // The CN's last hex digit sits inside the signed part: change it.
    const at = der.lastIndexOf(Buffer.from(a.id, 'ascii'))
    der[at + 31] = der[at + 31] === 0x30 ? 0x31 : 0x30
    expect(new X509Certificate(der).verify(a.publicKey)).toBe(false)
  })

  it.skipIf(!existsSync('/usr/bin/openssl'))('openssl reads it as a v3 ED25519 certificate and verifies its self-signature', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-tls-ossl-'))
    dirs.push(dir)
    const pem = join(dir, 'cert.pem')
    execFileSync('/bin/sh', ['-c', `cat > ${pem}`], { input: deviceCredentials(a).certPem })
    const text = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-text'], { encoding: 'utf8' })
    expect(text).toMatch(/Version: 3 \(0x2\)/)
    expect(text).toMatch(/Signature Algorithm: ED25519/)
    expect(text).toContain(`Subject: CN = ${a.id}`)
    const verified = execFileSync('openssl', ['verify', '-CAfile', pem, '-check_ss_sig', pem], { encoding: 'utf8' })
    expect(verified.trim()).toBe(`${pem}: OK`)
  })
})

describe('mutual TLS between devices', () => {
  const target = (): { id: string; name: string; address: string; controlPort: number } => ({ id: a.id, name: 'a', address: '127.0.0.1', controlPort: server.port })

  it('the handshake succeeds and each side sees the other device id', async () => {
    const conn = await connectPeer(deviceCredentials(b), target())
    expect(conn.ok).toBe(true)
    if (!conn.ok) return
    expect(conn.value.socket.getProtocol()).toBe('TLSv1.3')
    expect(rawPublicKey(conn.value.publicKey).equals(rawPublicKey(a.publicKey))).toBe(true)
    conn.value.socket.destroy()
    const r = await requestPeer(deviceCredentials(b), target(), 'POST', '/who', { hello: 1 })
    expect(r.ok && r.value.status).toBe(200)
    expect(r.ok && r.value.body).toEqual({ you: b.id })
    expect(seen.at(-1)).toBe(b.id)
  })

  it('a client expecting another device gets key-mismatch, and the server gets no request', async () => {
    const before = seen.length
    const c = await identity()
    const r = await requestPeer(deviceCredentials(b), { ...target(), id: c.id, name: 'lab-07' }, 'POST', '/who', { secret: 1 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('key-mismatch')
    expect(r.error.message).toContain(`device lab-07 (${shortFingerprint(c.id)}) presented a different key — it may be an impostor; not sending`)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(seen.length).toBe(before)
  })

  it('a caller without a device certificate is refused with 401', async () => {
    const r = await fetch(`https://127.0.0.1:${server.port}/who`, { method: 'GET' }).catch((e: unknown) => e)
    // fetch refuses the self-signed certificate itself; a raw TLS client without a cert gets 401.
    expect(r).toBeInstanceOf(Error)
    const { connect } = await import('node:tls')
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false, minVersion: 'TLSv1.3' }, () => {
        s.end('GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
      })
      let out = ''
      s.on('data', (d: Buffer) => { out += d.toString() })
      s.on('end', () => resolve(out))
      s.on('error', reject)
    })
    expect(text).toMatch(/^HTTP\/1\.1 401/)
    expect(text).toContain('"unauthorized"')
  })

  it('a plain TCP listener that never speaks TLS is unreachable in bounded time', async () => {
    const sockets: Socket[] = []
    const mute: Server = createServer(s => { sockets.push(s) })
    await new Promise<void>(resolve => mute.listen(0, '127.0.0.1', resolve))
    const port = (mute.address() as { port: number }).port
    const started = Date.now()
    const r = await requestPeer(deviceCredentials(b), { ...target(), controlPort: port }, 'GET', '/who', undefined, { timeoutMs: 500 })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(!r.ok && r.error.code).toBe('unreachable')
    for (const s of sockets) s.destroy()
    await new Promise<void>(resolve => mute.close(() => resolve()))
  })
})
